//! `leadc score` reads a CSV chunk with no quote that is valid UTF-8 by a
//! fast path (each line one record, cells sliced from it) and any other
//! chunk by the full reader. Both must read the same rows: a file scored
//! as is gives the same output rows as the same file with one quoted
//! record appended, which sends its (single) chunk through the full
//! reader.

use assert_cmd::Command;
use proptest::prelude::*;

const HEADER: &str = "id,region,age,employees,title,email_domain,demo_request,web_visit";

fn cell() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "",
        "EMEA",
        "APAC",
        "NA-West",
        "emea",
        "N/A",
        "40",
        "-3",
        " 29 ",
        "1.5",
        "x",
        "Ünïcode",
        "VP Sales",
        "C-level",
        "acme.com",
        "3",
        "0",
        "12",
        "99999999999",
        "true",
    ])
}

/// A data line: the id, then 7 cells, sometimes one too few or too many.
fn line() -> impl Strategy<Value = String> {
    (prop::collection::vec(cell(), 6..9), 0u32..1000)
        .prop_map(|(cells, id)| format!("{id},{}", cells.join(",")))
}

fn end() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n", "\r\n\r\n"])
}

fn file() -> impl Strategy<Value = (String, bool)> {
    (prop::collection::vec((line(), end()), 0..24), end(), any::<bool>()).prop_map(
        |(lines, header_end, last_end)| {
            let mut text = format!("{HEADER}{header_end}");
            let n = lines.len();
            for (i, (line, end)) in lines.into_iter().enumerate() {
                text.push_str(&line);
                if i + 1 < n || last_end {
                    text.push_str(end);
                }
            }
            (text, n > 0 && !last_end)
        },
    )
}

/// The output lines of `leadc score` on `input`: each scored row, and
/// each bad row with its line number and problem (`--errors`).
fn scored(dir: &std::path::Path, input: &str) -> Vec<String> {
    let path = dir.join("in.csv");
    let errors = dir.join("errors.csv");
    std::fs::write(&path, input).unwrap();
    let out = Command::cargo_bin("leadc")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["score", "examples/saas/saas.lead"])
        .arg(&path)
        .args(["--keep", "id", "-q", "--errors"])
        .arg(&errors)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 3)), "{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect();
    let errors = std::fs::read_to_string(&errors).unwrap_or_default();
    lines.extend(errors.lines().skip(1).map(|l| format!("error file: {l}")));
    lines
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_quote_free_path_reads_what_the_full_reader_reads((text, open_end) in file()) {
        let dir = tempfile::tempdir().unwrap();
        let plain = scored(dir.path(), &text);
        let full = scored(dir.path(), &format!("{text}{}\"q\"\n", if open_end { "\n" } else { "" }));
        prop_assert_eq!(full.len(), plain.len() + 1, "{:?}", text);
        prop_assert_eq!(&full[..plain.len()], &plain[..], "{:?}", text);
        let last = full.last().unwrap();
        prop_assert!(last.starts_with("error file: ") && last.ends_with(",\"q\""), "{}", last);
    }
}

/// The full reader checks UTF-8 once per record: a character cut in two
/// by a comma (each half invalid alone, the record valid as a whole) is
/// still a cell that is not UTF-8, and nothing else of the file is lost.
#[test]
fn a_character_split_across_cells_is_not_utf8() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("split.csv");
    std::fs::write(&path, b"id,title,region\n1,\"\xc3\",\"\xa9\"\n2,\"VP\",EMEA\n").unwrap();
    let out = Command::cargo_bin("leadc")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["score", "examples/saas/saas.lead"])
        .arg(&path)
        .args(["--keep", "id", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = stdout.lines().collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    assert!(rows[1].starts_with("1,") && rows[1].ends_with("column `title`: the value is not valid UTF-8; is the file in another encoding (such as Windows-1252)? save it as UTF-8"), "{}", rows[1]);
    assert_eq!(rows[2], "2,12,12,12,cold,false,0,0,0,12,0,0,0,");
}
