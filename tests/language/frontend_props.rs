//! Property tests: the front end never panics. Arbitrary text, mutated
//! example programs, deep nesting, huge numbers and arbitrary schema files
//! go through parsing, schema loading, checking and rendering; the only
//! assertion is that each call returns (`Ok` or `Err`) and that an `Err`
//! carries at least one diagnostic.

use leadc::diag::Sources;
use leadc::load::{SchemaSource, check_source};
use leadc::schema::Schema;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

const EXAMPLES: &[&str] = &["saas", "regional", "segmented"];

fn example_dir(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// An example's directory, program bytes and schema.
type Example = (PathBuf, Vec<u8>, Arc<Schema>);

/// The example programs and their schemas.
static EXAMPLE_FILES: LazyLock<Vec<Example>> = LazyLock::new(|| {
    EXAMPLES
        .iter()
        .map(|name| {
            let dir = example_dir(name);
            let program = std::fs::read(dir.join(format!("{name}.lead"))).unwrap();
            let schema = std::fs::read_to_string(dir.join(format!("{name}.schema.toml"))).unwrap();
            (dir, program, Arc::new(Schema::from_toml(&schema).unwrap()))
        })
        .collect()
});

/// Runs the whole front end on `text` and renders whatever comes out.
fn front_end(text: &str, schema: SchemaSource) {
    let mut sources = Sources::new();
    match check_source(&mut sources, "prop.lead", text, schema) {
        Ok(card) => {
            let _ = card.rules().count();
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty(), "an error without diagnostics");
            for d in &diagnostics {
                let _ = d.render(&sources, false);
                let _ = d.to_json(&sources);
            }
        }
    }
}

fn given(example: usize) -> SchemaSource {
    SchemaSource::Given(EXAMPLE_FILES[example % EXAMPLES.len()].2.clone())
}

/// A byte edit: insert, delete or replace at a position (taken modulo the
/// length).
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, u8),
    Delete(usize),
    Replace(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    // Bytes that matter to the grammar are more likely than arbitrary ones.
    let byte = prop_oneof![
        3 => prop::sample::select(b"\"#()[]{}:,.-_=<>!*\n 019aeinx".to_vec()),
        1 => any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Replace(i, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len();
    match *edit {
        Edit::Insert(i, b) => bytes.insert(i % (len + 1), b),
        Edit::Delete(i) if len > 0 => {
            bytes.remove(i % len);
        }
        Edit::Replace(i, b) if len > 0 => bytes[i % len] = b,
        _ => {}
    }
}

/// Words and symbols of the language, to build near-programs from.
fn token() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "schema",
        "require",
        "fit",
        "behaviour",
        "*behaviour",
        "category",
        "segment",
        "tier",
        "lint",
        "allow",
        "deny",
        "when",
        "max",
        "each",
        "and",
        "or",
        "not",
        "in",
        "is",
        "missing",
        "present",
        "contains",
        "starts_with",
        "true",
        "false",
        "age",
        "region",
        "title",
        "is_b2b",
        "employees",
        "budget",
        "demo_request",
        "email_open",
        "points",
        "score",
        "qualified",
        "segment",
        "good_fit",
        ":",
        "=",
        "!=",
        "==",
        "<",
        ">=",
        "=>",
        "..",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\n",
        "#",
        "\"EMEA\"",
        "\"NA-West\"",
        "\"",
        "100",
        "-5",
        "2.5",
        "0",
        "99999999999999999999",
        "1_000",
    ]);
    prop_oneof![
        6 => words.prop_map(str::to_string),
        1 => "[a-z_]{1,8}",
        1 => "-?[0-9_]{1,25}(\\.[0-9]{1,5})?",
    ]
}

/// A number as a user might write it, including ones out of every range.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[0-9]{1,40}",
        "-?[0-9]{1,20}\\.[0-9]{1,20}",
        "-?[0-9][0-9_]{0,30}",
        Just("9223372036854775808".to_string()),
        Just("-9223372036854775808".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text(text in any::<String>(), example in 0usize..3) {
        front_end(&text, given(example));
    }

    #[test]
    fn token_soup(tokens in prop::collection::vec(token(), 0..60), example in 0usize..3) {
        front_end(&tokens.join(" "), given(example));
    }

    #[test]
    fn mutated_examples(example in 0usize..3, edits in prop::collection::vec(edit(), 1..8)) {
        let (dir, original, _) = &EXAMPLE_FILES[example];
        let mut bytes = original.clone();
        for e in &edits {
            apply(&mut bytes, e);
        }
        // Invalid UTF-8 is the file loader's business; see `not_utf8` below.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            front_end(text, given(example));
            front_end(text, SchemaSource::RelativeTo(dir.clone()));
        }
    }

    #[test]
    fn numbers_everywhere(a in number(), b in number(), c in number(), d in number()) {
        let text = format!(
            "category c max {a}\nfit age >= {b} : {c}\nfit budget in {a}..{d} : 1\n\
             behaviour email_open >= {b} : {c} each max {d}\n\
             segment employees {{\n  {a}..{b} => {c} \"x\"\n  < {d} => 1\n}}\n\
             require employees in [{a}, {b}, {d}] : {c}\ntier t when points in {a}..{b}\n"
        );
        front_end(&text, given(0));
    }

    #[test]
    fn arbitrary_schema_text(text in any::<String>()) {
        let _ = Schema::from_toml(&text);
    }

    #[test]
    fn structured_schemas(
        behaviours in prop::collection::vec("[a-z_\\-]{0,6}", 0..5),
        fields in prop::collection::vec(("[a-z_0-9]{1,6}", "[a-z]{0,7}", prop::collection::vec("[A-Za-z]{0,3}", 0..4)), 0..6),
        program in prop::collection::vec(token(), 0..30),
    ) {
        let mut toml = format!("behaviours = {behaviours:?}\n[fields]\n");
        for (name, ty, values) in &fields {
            if values.is_empty() {
                toml.push_str(&format!("{name} = {ty:?}\n"));
            } else {
                toml.push_str(&format!("{name} = {{ type = {ty:?}, values = {values:?} }}\n"));
            }
        }
        if let Ok(schema) = Schema::from_toml(&toml) {
            front_end(&program.join(" "), SchemaSource::Given(Arc::new(schema)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn deep_nesting(depth in 0usize..400, open in prop::sample::select(vec!["(", "[", "not (", "( ", "(\n", "not ", "not not (", "(# (\n"]), prefix in prop::sample::select(vec!["", "title = \"((\" or ", "(\n"]), closed in any::<bool>()) {
        let close = if open.starts_with('[') { "]" } else { ")" };
        let inner = if open.starts_with('[') { "region in [\"EMEA\"]" } else { "is_b2b" };
        let tail = if closed { close.repeat(depth) } else { String::new() };
        let text = format!("category c max 10\nfit {prefix}{}{inner}{tail} : 10\n", open.repeat(depth));
        front_end(&text, given(0));
    }

    #[test]
    fn not_utf8(example in 0usize..3, at in any::<usize>(), byte in 0x80u8..=0xff) {
        // Through the file loader: write the mangled program next to nothing
        // and load it; invalid UTF-8 must come back as a diagnostic.
        let (_, original, _) = &EXAMPLE_FILES[example];
        let mut bytes = original.clone();
        let at = at % (bytes.len() + 1);
        bytes.insert(at, byte);
        let dir = std::env::temp_dir().join(format!("leadc-props-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("mangled.lead");
        std::fs::write(&path, &bytes).unwrap();
        let mut sources = Sources::new();
        let result = leadc::load::load_program(&path, &mut sources);
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_dir(&dir);
        if std::str::from_utf8(&bytes).is_err() {
            let diagnostics = result.unwrap_err();
            prop_assert_eq!(diagnostics[0].code.as_str(), "E0212");
        }
    }
}

/// Long chains of `and`/`or` nest only logarithmically deep, and chains of
/// `not` are refused by the parser, so neither can exhaust the stack.
#[test]
fn long_chains_do_not_exhaust_the_stack() {
    for op in ["and", "or"] {
        let text = format!("category c\nfit {}is_b2b : 1\n", format!("is_b2b {op} ").repeat(30_000));
        let mut sources = Sources::new();
        let card = check_source(&mut sources, "long.lead", &text, given(0)).unwrap();
        assert_eq!(card.rules().count(), 1);
    }
    let text = format!("category c\nfit {}is_b2b : 1\n", "not ".repeat(100_000));
    let mut sources = Sources::new();
    let diagnostics = check_source(&mut sources, "nots.lead", &text, given(0)).unwrap_err();
    assert_eq!(diagnostics[0].code, "E0102");
}
