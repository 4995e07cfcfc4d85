//! Property tests of the formatter on generated programs.
//!
//! In: programs from `tests/gen` for random schemas, their layout scrambled
//! (runs of spaces and tabs, spaces around punctuation dropped, indentation,
//! trailing white space, CRLF or CR line ends) and, in a second test,
//! comments added at line ends and as lines of their own. Out: a failure
//! with the shrunk program when the formatter fails on valid text, is not
//! idempotent, changes the checked program (every condition, point, cap
//! and tier; spans left out), gives two
//! layouts of one program different output, or loses or reorders a
//! comment.
//!
//! `LEADC_FMT_CASES=N` runs N programs per test (default 300).

use crate::generate;
use leadc::diag::Sources;
use leadc::format::format;
use leadc::load::{SchemaSource, check_source};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn cases() -> u32 {
    std::env::var("LEADC_FMT_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300)
}

/// `source` checked against `schema`, as the checked program's debug text
/// with its spans left out: every condition, point, cap and tier, in order.
fn compiled(source: &str, schema: &generate::GenSchema) -> Result<String, TestCaseError> {
    let mut sources = Sources::new();
    match check_source(&mut sources, "p.lead", source, SchemaSource::Given(schema.build())) {
        Ok(card) => Ok(without_spans(&format!("{card:?}"))),
        Err(d) => {
            let rendered: Vec<String> = d.iter().map(|d| d.render(&sources, false)).collect();
            Err(TestCaseError::fail(format!("does not check:\n{source}\n{}", rendered.join("\n"))))
        }
    }
}

/// `debug` with every `Span { start: .., end: .. }` made `Span`.
fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(at) = rest.find("Span { start: ") {
        out.push_str(&rest[..at]);
        out.push_str("Span");
        rest = rest[at..].find('}').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// How one program's layout is scrambled: choices consumed in turn.
struct Scramble {
    choices: Vec<u8>,
    next: usize,
    comments: bool,
    comment_count: usize,
}

impl Scramble {
    fn pick(&mut self, n: u8) -> u8 {
        let c = self.choices.get(self.next % self.choices.len().max(1)).copied().unwrap_or(0);
        self.next += 1;
        c % n
    }

    /// `source` laid out another way (and, with `comments`, commented).
    fn apply(&mut self, source: &str) -> String {
        let line_end = ["\n", "\r\n", "\r"][self.pick(3) as usize];
        let mut out = String::new();
        for line in source.lines() {
            if self.comments && self.pick(4) == 0 {
                out.push_str(&format!("  # c{}{line_end}", self.comment_count));
                self.comment_count += 1;
            }
            out.push_str(&" ".repeat(self.pick(3) as usize));
            out.push_str(&self.line(line));
            if self.comments && self.pick(3) == 0 && !line.trim().is_empty() {
                out.push_str(&format!(" # c{}", self.comment_count));
                self.comment_count += 1;
            }
            out.push_str([" ", "", "\t", ""][self.pick(4) as usize]);
            out.push_str(line_end);
        }
        out
    }

    /// One line, its spaces outside strings changed.
    fn line(&mut self, line: &str) -> String {
        const PUNCT: &[char] = &[':', '[', ']', ',', '(', ')'];
        let chars: Vec<char> = line.trim_start().chars().collect();
        let mut out = String::new();
        let mut in_string = false;
        for (i, &c) in chars.iter().enumerate() {
            if c == '#' && !in_string {
                out.extend(&chars[i..]);
                break;
            }
            if c == '"' && (i == 0 || chars[i - 1] != '\\') {
                in_string = !in_string;
            }
            if c != ' ' || in_string {
                out.push(c);
                continue;
            }
            let beside_punct = PUNCT.contains(&chars.get(i + 1).copied().unwrap_or(' '))
                || (i > 0 && PUNCT.contains(&chars[i - 1]));
            let options: &[&str] =
                if beside_punct { &[" ", "", "  ", "\t"] } else { &[" ", "  ", "\t", " \t "] };
            out.push_str(options[self.pick(options.len() as u8) as usize]);
        }
        out
    }
}

fn lf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn program() -> impl Strategy<Value = (generate::GenSchema, String, Vec<u8>)> {
    generate::schema().prop_flat_map(|schema| {
        (generate::program(&schema), proptest::collection::vec(any::<u8>(), 1..64), Just(schema))
            .prop_map(|(source, choices, schema)| (schema, source, choices))
    })
}

fn run(name: &str, test: impl Fn(&generate::GenSchema, &str, Vec<u8>) -> Result<(), TestCaseError>) {
    let config = Config { cases: cases(), failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&program(), |(schema, source, choices)| test(&schema, &source, choices));
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

#[test]
fn formatting_any_layout_gives_one_text_and_the_same_program() {
    run("layout", |schema, source, choices| {
        let canonical = format(source).map_err(|e| TestCaseError::fail(format!("{e:?}\n{source}")))?;
        prop_assert_eq!(format(&canonical).unwrap(), canonical.clone(), "not idempotent:\n{}", source);
        prop_assert_eq!(
            compiled(&canonical, schema)?,
            compiled(source, schema)?,
            "program changed:\n{}",
            source
        );
        let mut scramble = Scramble { choices, next: 0, comments: false, comment_count: 0 };
        let scrambled = scramble.apply(source);
        let formatted = format(&scrambled).map_err(|e| TestCaseError::fail(format!("{e:?}\n{scrambled}")))?;
        prop_assert_eq!(lf(&formatted), canonical, "layout-dependent output for:\n{}", scrambled);
        Ok(())
    });
}

#[test]
fn comments_survive_formatting_in_order_and_the_program_is_unchanged() {
    run("comments", |schema, source, choices| {
        let mut scramble = Scramble { choices, next: 0, comments: true, comment_count: 0 };
        let commented = scramble.apply(source);
        let formatted = format(&commented).map_err(|e| TestCaseError::fail(format!("{e:?}\n{commented}")))?;
        prop_assert_eq!(format(&formatted).unwrap(), formatted.clone(), "not idempotent:\n{}", commented);
        prop_assert_eq!(
            compiled(&formatted, schema)?,
            compiled(source, schema)?,
            "program changed:\n{}",
            commented
        );
        let found: Vec<usize> = formatted
            .match_indices("# c")
            .filter_map(|(at, _)| {
                let digits: String = formatted[at + 3..].chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok()
            })
            .collect();
        let want: Vec<usize> = (0..scramble.comment_count).collect();
        prop_assert_eq!(found, want, "comments lost or moved:\n{}\n---\n{}", commented, formatted);
        Ok(())
    });
}
