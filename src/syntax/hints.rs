//! Hints for the first attempts people write that the grammar does not
//! take, pointing at the form it does.
//!
//! In: the text of the item before a syntax error and the text from the
//! error on. Out: a help line, when the mistake is a known one:
//! `industry = "Software" or "Finance"` (→ `industry in [...]`),
//! `employees >= 10 and <= 50` (→ `employees in 10..50`),
//! `employees between 100 and 2000` (→ `employees in 100..2000`), and a
//! case-insensitive operator from another language (`title contains_ci
//! "vp"`, `ilike`, `ieq`: → the schema's `ignore_case`).

const COMPARISONS: &[&str] = &["=", "==", "!=", "<", "<=", ">", ">="];

/// The hint for an error after `before` (the item's text up to the error,
/// its own line only), where `after` starts.
pub(super) fn hint(before: &str, after: &str) -> Option<String> {
    let words: Vec<&str> = before.split_whitespace().collect();
    let next: Vec<&str> = after.split_whitespace().take(4).collect();
    if next.first() == Some(&"between") {
        return between(&words, &next);
    }
    if let (Some(field), Some(op)) = (words.last().filter(|w| is_name(w)), next.first())
        && let Some(hint) = any_case(field, op)
    {
        return Some(hint);
    }
    let (&joiner, earlier) = words.split_last()?;
    if joiner != "or" && joiner != "and" {
        return None;
    }
    // The test before the joiner: `<field> <op> <value>`.
    let [.., field, op, value] = earlier else { return None };
    if !COMPARISONS.contains(op) || !is_name(field) {
        return None;
    }
    let (next_op, next_value) = match next.as_slice() {
        [op, value, ..] if COMPARISONS.contains(op) => (*op, *value),
        [value, ..] if is_value(value) => (*op, *value),
        _ => return None,
    };
    let whole = format!("{field} {op} {value} {joiner} {field} {next_op} {next_value}");
    let list = matches!((*op, next_op, joiner), ("=" | "==", "=" | "==", "or"));
    let range = match (*op, next_op, joiner) {
        (">=", "<=", "and") => Some((*value, next_value)),
        ("<=", ">=", "and") => Some((next_value, *value)),
        _ => None,
    };
    Some(match (list, range) {
        (true, _) => format!(
            "each side of `or` is a whole test: write `{field} in [{value}, {next_value}]`, or `{whole}`"
        ),
        (_, Some((lo, hi))) => format!(
            "each side of `and` is a whole test: write `{field} in {lo}..{hi}` (both ends included), or `{whole}`"
        ),
        _ => format!("each side of `{joiner}` is a whole test: write `{whole}`"),
    })
}

/// `<field> contains_ci ...` and the like: case is the field's property,
/// declared in the schema.
fn any_case(field: &str, op: &str) -> Option<String> {
    let op = op.to_ascii_lowercase();
    let like = match op.as_str() {
        "like" | "ilike" | "icontains" | "contains_ci" | "containsi" | "contains_i" => "contains",
        "ieq" | "iequals" | "eq_ci" | "equals_ci" | "eqi" | "=~" | "~=" | "~" | "~*" | "matches" => "=",
        "istarts_with" | "starts_with_ci" | "istartswith" | "startswith" => "starts_with",
        "iends_with" | "ends_with_ci" | "iendswith" | "endswith" => "ends_with",
        _ => return None,
    };
    Some(format!(
        "there is no `{op}`: write `{field} {like} \"...\"`; to compare `{field}` in any case, declare it \
         `{field} = {{ type = \"string\", ignore_case = true }}` in the schema"
    ))
}

/// `<field> between <lo> and <hi>`.
fn between(words: &[&str], next: &[&str]) -> Option<String> {
    let field = words.last().filter(|w| is_name(w))?;
    match next {
        ["between", lo, "and", hi] if is_value(lo) && is_value(hi) => {
            Some(format!("there is no `between`: write `{field} in {lo}..{hi}` (both ends included)"))
        }
        _ => Some(format!("there is no `between`: write `{field} in <low>..<high>` (both ends included)")),
    }
}

fn is_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_value(word: &str) -> bool {
    word.starts_with('"') || word.parse::<f64>().is_ok() || word.replace('_', "").parse::<f64>().is_ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::hint;

    #[test]
    fn a_second_value_after_or_points_at_in() {
        assert_eq!(
            hint("fit industry = \"Software\" or ", "\"Finance\" : 5").unwrap(),
            "each side of `or` is a whole test: write `industry in [\"Software\", \"Finance\"]`, or \
             `industry = \"Software\" or industry = \"Finance\"`"
        );
        assert!(
            hint("fit title = \"VP\" or", " = \"CEO\" : 2").unwrap().contains("title in [\"VP\", \"CEO\"]")
        );
    }

    #[test]
    fn a_bare_comparison_after_and_points_at_a_range() {
        assert_eq!(
            hint("fit employees >= 10 and ", "<= 50 : 1").unwrap(),
            "each side of `and` is a whole test: write `employees in 10..50` (both ends included), or \
             `employees >= 10 and employees <= 50`"
        );
        assert_eq!(
            hint("fit age > 18 and ", "< 65 : 1").unwrap(),
            "each side of `and` is a whole test: write `age > 18 and age < 65`"
        );
    }

    #[test]
    fn between_points_at_a_range() {
        assert_eq!(
            hint("fit employees ", "between 100 and 2000 : 3").unwrap(),
            "there is no `between`: write `employees in 100..2000` (both ends included)"
        );
    }

    #[test]
    fn a_case_insensitive_operator_points_at_ignore_case() {
        let h = hint("fit title ", "contains_ci \"vp\" : 3").unwrap();
        assert_eq!(
            h,
            "there is no `contains_ci`: write `title contains \"...\"`; to compare `title` in any \
             case, declare it `title = { type = \"string\", ignore_case = true }` in the schema"
        );
        assert!(hint("fit title ", "ILIKE \"%vp%\" : 3").unwrap().contains("write `title contains"));
        assert!(hint("fit title ", "ieq \"VP\" : 3").unwrap().contains("write `title = \"...\"`"));
        assert_eq!(hint("fit title ", "wibble \"VP\" : 3"), None);
    }

    #[test]
    fn other_errors_get_no_hint() {
        assert_eq!(hint("fit a = ", ": 1"), None);
        assert_eq!(hint("fit a = 1 or ", ": 1"), None);
    }
}
