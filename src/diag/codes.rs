//! The error registry: every error code leadc reports, defined once.
//!
//! In: nothing. Out: one constant per code (`codes::UNKNOWN_FIELD` is
//! `"E0301"`) for the phase that reports it, and [`ALL`], every code with
//! its one-line summary in code order, for the docs test that keeps
//! `docs/errors.md` complete and for tools that list codes. Codes by phase:
//! `E01xx` syntax, `E02xx` schema and files, `E03xx` check, `E07xx` test files, `E08xx` input
//! leads, `E09xx` compiled files. Lint codes (`L0xxx`) live with each lint
//! (`Lint::code`), where a lint's name, level and code are declared together.
//!
//! A code, once published, keeps its meaning: add new codes, never reuse one.
//!
//! ```
//! use leadc::diag::codes;
//! assert_eq!(codes::UNKNOWN_FIELD, "E0301");
//! assert!(codes::ALL.iter().any(|(code, summary)| *code == "E0301" && *summary == "unknown field"));
//! ```

/// Declares each code as a constant documented by its summary, and [`ALL`].
macro_rules! registry {
    ($($name:ident = $code:literal, $summary:literal;)*) => {
        $(
            #[doc = concat!("`", $code, "`: ", $summary, ".")]
            pub const $name: &str = $code;
        )*
        /// Every error code with its summary, in code order.
        pub const ALL: &[(&str, &str)] = &[$(($code, $summary)),*];
    };
}

registry! {
    // Syntax (src/syntax/error.rs).
    UNEXPECTED_TOKEN = "E0100", "unexpected token";
    NOT_AN_ITEM = "E0101", "a line that is not an item";
    NESTED_TOO_DEEP = "E0102", "a condition nested too deep";
    NUMBER_TOO_LARGE = "E0103", "a number too large";
    UNCLOSED_STRING = "E0104", "an unclosed string";
    // Schema and files (src/schema/, src/load.rs).
    INVALID_SCHEMA_FILE = "E0201", "invalid schema file";
    BAD_FIELD_TYPE = "E0202", "a field without a valid type";
    ENUM_WITHOUT_VALUES = "E0203", "an enum without values";
    DUPLICATE_ENUM_VALUE = "E0204", "an enum value listed twice";
    DUPLICATE_NAME = "E0205", "a name declared twice";
    BAD_NAME = "E0206", "an invalid or reserved name";
    UNKNOWN_FIELD_KEY = "E0207", "an unknown key in a field declaration";
    OPTION_NOT_FOR_FIELD = "E0208", "a field option its type does not take";
    UNMAPPED_COLUMN = "E0209", "a column mapped to no field or behaviour";
    MISSING_SCHEMA_LINE = "E0210", "the program does not name its schema";
    UNREADABLE_FILE = "E0211", "a file cannot be read";
    NOT_UTF8 = "E0212", "a file is not UTF-8";
    BAD_INPUT_SETTING = "E0213", "an `[input]` setting that cannot be used";
    // Check (src/check/error.rs).
    UNKNOWN_FIELD = "E0301", "unknown field";
    UNKNOWN_BEHAVIOUR = "E0302", "unknown behaviour";
    MISMATCHED_TYPE = "E0303", "a literal of the wrong type";
    UNSUPPORTED_TEST = "E0304", "an operator the type does not support";
    UNKNOWN_ENUM_VALUE = "E0305", "a value not in the enum";
    EMPTY_RANGE = "E0306", "an empty range";
    EMPTY_LIST = "E0307", "an empty list";
    DUPLICATE_CATEGORY = "E0308", "a category declared twice";
    RULE_OUTSIDE_CATEGORY = "E0309", "a rule before any category";
    DUPLICATE_TIER = "E0310", "a tier declared twice";
    UNREACHABLE_TIER = "E0311", "a tier that can never be reached";
    DUPLICATE_SCHEMA = "E0312", "more than one schema line";
    DUPLICATE_SEGMENT = "E0313", "more than one segment block";
    BAD_SEGMENT_DIGIT = "E0314", "a segment digit outside 1 to 9";
    NOT_AN_INTEGER = "E0315", "points that are not an integer";
    POINTS_OUT_OF_RANGE = "E0316", "points out of range";
    NEGATIVE_MAX = "E0317", "a negative category max";
    BAD_THRESHOLD = "E0318", "a behaviour threshold out of range";
    BAD_CAP = "E0319", "a cap of the wrong sign";
    UNKNOWN_OUTCOME = "E0320", "an unknown name in a tier condition";
    RESERVED_CATEGORY = "E0321", "a category named like an outcome value";
    TIME_ON_COUNT = "E0330", "a time clause on a counted behaviour";
    BAD_DURATION = "E0331", "a duration zero, negative or too long";
    CONFLICTING_TIME = "E0332", "two windows or two decays on one rule";
    // Test files (src/cases/).
    INVALID_TEST_FILE = "E0701", "an invalid test file";
    BAD_TEST_LEAD = "E0702", "a test case whose lead or instant cannot be read";
    UNKNOWN_TEST_NAME = "E0703", "a test case naming no rule, tier or category of the program";
    // Input leads (src/input/).
    BAD_LEAD = "E0801", "a lead that cannot be read";
    // Compiled files (src/compile/format.rs, src/compile/verify.rs).
    NOT_A_COMPILED_FILE = "E0901", "not a compiled program";
    UNSUPPORTED_VERSION = "E0902", "a format version this leadc cannot read";
    TRUNCATED_FILE = "E0903", "a truncated compiled file";
    BAD_CHECKSUM = "E0904", "a checksum mismatch";
    MALFORMED_FILE = "E0905", "a malformed compiled file";
    BAD_EMBEDDED_SCHEMA = "E0906", "an invalid embedded schema";
    INVALID_BYTECODE = "E0907", "bytecode the verifier rejects";
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn codes_are_unique_well_formed_and_in_order() {
        for (code, summary) in ALL {
            assert!(code.len() == 5 && code.starts_with('E'), "{code}");
            assert!(code[1..].bytes().all(|b| b.is_ascii_digit()), "{code}");
            assert!(!summary.is_empty() && !summary.ends_with('.'), "{code}: {summary}");
        }
        for pair in ALL.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} is not before {}", pair[0].0, pair[1].0);
        }
    }
}
