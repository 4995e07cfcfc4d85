//! The test file: TOML text to cases with their expectations.
//!
//! In: the text of a `*.tests.toml` file and the program it tests. Out: a
//! [`Suite`] — every case's lead filled through the same reader as an
//! NDJSON lead, its instant, and its expectations with rule and tier names
//! resolved to the program's indices — or every [`CaseError`] found, each
//! with the span of the TOML that is wrong.

use super::{CaseError, Expect, RuleRef, Suite, TestCase};
use crate::diag::span::Span;
use crate::input::{JsonObject, UnknownColumns};
use crate::program::Program;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    as_of: Option<Spanned<toml::Value>>,
    #[serde(default)]
    case: Vec<Spanned<Case>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    lead: Spanned<toml::Table>,
    as_of: Option<Spanned<toml::Value>>,
    tier: Option<Spanned<String>>,
    score: Option<i64>,
    points: Option<i64>,
    qualified: Option<bool>,
    segment: Option<u8>,
    requires_met: Option<u32>,
    categories: Option<BTreeMap<String, Spanned<i64>>>,
    #[serde(default)]
    fired: Vec<Spanned<String>>,
    #[serde(default)]
    not_fired: Vec<Spanned<String>>,
}

/// What a case is read against: the program, its must-haves and rules
/// by name, and the test file's text.
struct Context<'a> {
    program: &'a Program,
    named: &'a [Named],
    text: &'a str,
}

/// A must-have or rule with its line and its text in canonical form.
struct Named {
    rule: RuleRef,
    line: u32,
    text: String,
}

/// Every must-have and rule of `program`, in canonical form once (names
/// are compared against them for every reference of every case).
fn named(program: &Program) -> Vec<Named> {
    let requires = program.requires().iter().enumerate().map(|(i, r)| (RuleRef::Require(i), &r.source));
    let rules = program.rules().iter().enumerate().map(|(i, r)| (RuleRef::Rule(i), &r.source));
    requires
        .chain(rules)
        .map(|(rule, s)| Named {
            rule,
            line: s.line,
            text: canonical(&s.text).unwrap_or_else(|| s.text.clone()),
        })
        .collect()
}

/// The keys a case may have, for "did you mean" on a typo.
const CASE_KEYS: &[&str] = &[
    "name",
    "lead",
    "as_of",
    "tier",
    "score",
    "points",
    "qualified",
    "segment",
    "requires_met",
    "categories",
    "fired",
    "not_fired",
];

/// Reads the test file `text` for `program`.
pub(super) fn parse(text: &str, program: &Program) -> Result<Suite, Vec<CaseError>> {
    let file: File = toml::from_str(text).map_err(|e| {
        let span = e.span().map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
        vec![toml_error(e.message().trim_end(), span)]
    })?;
    let mut errors = Vec::new();
    let default_as_of = file.as_of.as_ref().and_then(|t| instant(t, &mut errors));
    let named = named(program);
    let mut cases = Vec::new();
    for spanned in file.case {
        let span = to_span(spanned.span());
        let case = spanned.into_inner();
        let given = file.as_of.is_some();
        let context = Context { program, named: &named, text };
        if let Some(case) = read_case(case, span, (default_as_of, given), &context, &mut errors) {
            cases.push(case);
        }
    }
    if file.as_of.is_none() && cases.is_empty() && errors.is_empty() {
        errors.push(CaseError::file("the file has no cases", Span::new(0, 0)).with_help(
            "add one: `[[case]]`, then `name = \"...\"`, `lead = { field = value, ... }` and what to expect",
        ));
    }
    errors.sort_by_key(|e| e.span.start);
    if errors.is_empty() { Ok(Suite { cases }) } else { Err(errors) }
}

/// A TOML or shape error in users' words: no Rust type names, and the
/// closest key for an unknown one.
fn toml_error(message: &str, span: Span) -> CaseError {
    let mut message = message.to_string();
    for (rust, words) in [
        ("expected i64", "expected a whole number"),
        ("expected u32", "expected a whole number, 0 or more"),
        ("expected u8", "expected a segment digit, 0 to 9"),
        ("as i128", ""),
        ("expected a sequence", "expected a list `[...]`"),
        ("expected a map", "expected a table `{ ... }`"),
        ("invalid type: map", "invalid type: a table"),
        ("invalid type: sequence", "invalid type: a list"),
    ] {
        message = message.replace(rust, words);
    }
    let error = CaseError::file(message.replace("  ", " "), span);
    let unknown = message.strip_prefix("unknown field `").and_then(|rest| rest.split('`').next());
    match unknown.and_then(|key| crate::diag::suggest::closest(key, CASE_KEYS.iter().copied())) {
        Some(close) => error.with_help(format!("did you mean `{close}`?")),
        None => error,
    }
}

fn read_case(
    case: Case,
    span: Span,
    (default_as_of, file_as_of): (Option<i64>, bool),
    cx: &Context,
    errors: &mut Vec<CaseError>,
) -> Option<TestCase> {
    let (program, text) = (cx.program, cx.text);
    let before = errors.len();
    let lead_span = to_span(case.lead.span());
    let json =
        serde_json::Value::Object(case.lead.get_ref().iter().map(|(k, v)| (k.clone(), json(v))).collect());
    let json = json.to_string();
    let mut lead = program.new_lead();
    let filled = JsonObject::parse(&json)
        .and_then(|object| lead.fill_json_object(program.schema(), &object, UnknownColumns::Error));
    if let Err(e) = filled {
        errors
            .push(CaseError::lead(format!("case `{}`: the lead cannot be read: {e}", case.name), lead_span));
    }
    let as_of = case.as_of.as_ref().and_then(|t| instant(t, errors)).or(default_as_of);
    // A file-level `as_of` that did not parse has its own error already.
    if program.is_timed() && case.as_of.is_none() && !file_as_of {
        errors.push(
            CaseError::reference(
                format!("case `{}` needs an instant: the program has event rules", case.name),
                span,
                "this case has no `as_of`",
            )
            .with_help(
                "add `as_of = \"2026-12-01\"` to the case, or once at the top of the file for every case",
            ),
        );
    }
    let expect = Expect {
        tier: case.tier.map(|t| tier(program, &t, errors)),
        score: case.score,
        points: case.points,
        qualified: case.qualified,
        segment: case.segment,
        requires_met: case.requires_met,
        categories: case
            .categories
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(name, total)| {
                category(program, &name, &total, errors).map(|i| (i, *total.get_ref()))
            })
            .collect(),
        fired: case.fired.iter().filter_map(|r| rule(cx, r, errors)).collect(),
        not_fired: case.not_fired.iter().filter_map(|r| rule(cx, r, errors)).collect(),
    };
    for r in expect.fired.iter().filter(|r| expect.not_fired.contains(r)) {
        let text = match r {
            RuleRef::Require(i) => program.requires().get(*i).map(|q| q.source.text.clone()),
            RuleRef::Rule(i) => program.rules().get(*i).map(|q| q.source.text.clone()),
        };
        errors.push(CaseError::reference(
            format!(
                "case `{}` expects `{}` both in `fired` and in `not_fired`",
                case.name,
                text.unwrap_or_default()
            ),
            span,
            "contradicts itself",
        ));
    }
    let line = text.get(..span.start).map_or(1, |t| t.matches('\n').count() + 1);
    (errors.len() == before).then_some(TestCase { name: case.name, line, lead, as_of, expect })
}

fn to_span(range: std::ops::Range<usize>) -> Span {
    Span::new(range.start, range.end)
}

/// A TOML value as JSON, as an NDJSON lead would carry it (dates and
/// times as their text).
fn json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => s.clone().into(),
        toml::Value::Integer(i) => (*i).into(),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, Into::into),
        toml::Value::Boolean(b) => (*b).into(),
        toml::Value::Datetime(d) => d.to_string().into(),
        toml::Value::Array(items) => items.iter().map(json).collect(),
        toml::Value::Table(t) => t.iter().map(|(k, v)| (k.clone(), json(v))).collect(),
    }
}

fn instant(value: &Spanned<toml::Value>, errors: &mut Vec<CaseError>) -> Option<i64> {
    let parsed = match value.get_ref() {
        toml::Value::String(s) => crate::time::parse_instant(s).map_err(|e| format!(": {e}")),
        // A TOML date or date-time written without quotes.
        toml::Value::Datetime(d) => crate::time::parse_instant(&d.to_string()).map_err(|e| format!(": {e}")),
        _ => Err(String::new()),
    };
    parsed
        .map_err(|why| {
            errors.push(
                CaseError::lead(format!("`as_of` is not an instant{why}"), to_span(value.span())).with_help(
                    "write a date such as \"2026-12-01\" or a timestamp such as \"2026-12-01T09:00:00Z\"",
                ),
            );
        })
        .ok()
}

/// The tier named `name`; `""` is "no tier".
fn tier(program: &Program, name: &Spanned<String>, errors: &mut Vec<CaseError>) -> Option<usize> {
    let wanted = name.get_ref();
    if wanted.is_empty() {
        return None;
    }
    let names: Vec<&str> = program.tiers().iter().map(|t| t.name.as_str()).collect();
    find(("tier", "tiers", "; `\"\"` expects no tier"), wanted, &names, to_span(name.span()), errors)
}

fn category(
    program: &Program,
    name: &str,
    total: &Spanned<i64>,
    errors: &mut Vec<CaseError>,
) -> Option<usize> {
    let names: Vec<&str> = program.category_names().collect();
    find(("category", "categories", ""), name, &names, to_span(total.span()), errors)
}

/// The index of `wanted` in `names` (the program's tiers or categories,
/// `kind` and `plural`), or an error at `span` with the closest name or,
/// followed by `more`, the list of them.
fn find(
    (kind, plural, more): (&str, &str, &str),
    wanted: &str,
    names: &[&str],
    span: Span,
    errors: &mut Vec<CaseError>,
) -> Option<usize> {
    if let Some(i) = names.iter().position(|n| *n == wanted) {
        return Some(i);
    }
    let error =
        CaseError::reference(format!("the program has no {kind} `{wanted}`"), span, "not in the program");
    errors.push(match crate::diag::suggest::closest(wanted, names.iter().copied()) {
        Some(close) => error.with_help(format!("did you mean `{close}`?")),
        None => error.with_help(format!("its {plural} are {}{more}", list(names.iter().copied()))),
    });
    None
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if names.is_empty() { "none".to_string() } else { names.join(", ") }
}

/// The must-have or rule `reference` names: `line N` (or `LN`, as
/// explanations print it), or the item's text up to its ` : ` (or all of
/// it). Texts are compared in the canonical form `leadc fmt` writes, so
/// spacing, `==`, `behavior` and `5_0000` do not matter, and a name
/// written against the program before `fmt` still names its rule after.
fn rule(cx: &Context, reference: &Spanned<String>, errors: &mut Vec<CaseError>) -> Option<RuleRef> {
    let wanted = crate::syntax::one_line(reference.get_ref());
    let span = to_span(reference.span());
    let line =
        wanted.strip_prefix("line ").or_else(|| wanted.strip_prefix('L')).map(|n| n.trim().parse::<u32>());
    let found: Vec<&Named> = match line {
        Some(Ok(line)) => cx.named.iter().filter(|n| n.line == line).collect(),
        _ => {
            let (key, whole) = reference_key(&wanted);
            cx.named.iter().filter(|n| if whole { n.text == key } else { head(&n.text) == key }).collect()
        }
    };
    match found.as_slice() {
        [one] => Some(one.rule),
        [] => {
            errors.push(unknown_rule(cx, &wanted, line.and_then(Result::ok), span));
            None
        }
        many => {
            let lines: Vec<String> = many.iter().map(|n| format!("`line {}`", n.line)).collect();
            errors.push(
                CaseError::reference(format!("`{wanted}` names more than one rule"), span, "ambiguous")
                    .with_help(format!("name one by its line: {}", lines.join(", "))),
            );
            None
        }
    }
}

/// The error for a name that matches no must-have or rule: what is on
/// that line instead, or the closest rule.
fn unknown_rule(cx: &Context, wanted: &str, line: Option<u32>, span: Span) -> CaseError {
    let program = cx.program;
    let message = format!("the program has no must-have or rule `{wanted}`");
    let error = CaseError::reference(message, span, "not in the program");
    if let Some(line) = line {
        let tier = program.tiers().iter().find(|t| t.source.line == line);
        let arm = program.segment().and_then(|s| s.arms.iter().find(|a| a.source.line == line));
        let category = program.categories().iter().find(|c| c.source.line == line);
        let help = match (tier, arm, category) {
            (Some(t), _, _) => {
                format!("line {line} is tier `{}`: expect it with `tier = \"{}\"`", t.name, t.name)
            }
            (_, Some(a), _) => {
                format!("line {line} is a segment arm: expect its digit with `segment = {}`", a.digit)
            }
            (_, _, Some(c)) => format!(
                "line {line} is category `{}`: expect its total with `categories = {{ {} = ... }}`",
                c.name, c.name
            ),
            _ => "no must-have or rule starts on that line; name it by its text up to ` : `".to_string(),
        };
        return error.with_help(help);
    }
    if let Some(tier) =
        wanted.strip_prefix("tier ").map(str::trim).filter(|t| program.tiers().iter().any(|x| x.name == *t))
    {
        return error.with_help(format!("a tier is expected with `tier = \"{tier}\"`, not in `fired`"));
    }
    let heads: Vec<&str> = cx.named.iter().map(|n| head(&n.text)).collect();
    let (key, _) = reference_key(wanted);
    match crate::diag::suggest::closest(&key, heads.iter().copied()) {
        Some(close) => error.with_help(format!("did you mean `{close}`?")),
        None => {
            let examples: Vec<String> = heads.iter().take(2).map(|h| format!("`{h}`")).collect();
            error.with_help(format!(
                "name a must-have or rule by its text up to ` : ` ({}), or by `line N`",
                examples.join(", ")
            ))
        }
    }
}

/// The canonical one-line form of an item's text, as `leadc fmt` prints
/// it; `None` when it does not parse.
fn canonical(text: &str) -> Option<String> {
    let formatted = crate::format::format(&format!("{text}\n")).ok()?;
    // One line whatever the width (a long list is laid out over lines).
    Some(crate::syntax::one_line(&formatted).replace(",]", "]"))
}

/// What a reference is compared with: the canonical head of `wanted`
/// taken as an item's text up to ` : ` (`false`), else the canonical form
/// of `wanted` as a whole item (`true`), else `wanted` as written.
fn reference_key(wanted: &str) -> (String, bool) {
    if let Some(item) = canonical(&format!("{wanted} : 0")) {
        return (head(&item).to_string(), false);
    }
    match canonical(wanted) {
        Some(item) => (item, true),
        None => (wanted.to_string(), false),
    }
}

/// An item's text up to its ` : `.
pub(super) fn head(text: &str) -> &str {
    text.rfind(" : ").map_or(text, |at| &text[..at])
}
