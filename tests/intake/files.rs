//! Intake: real and hostile lead files in, nothing lost.
//!
//! Two layers. Property tests of the library's reader: any bytes, cut into
//! chunks of any size, read as the same records, cells and line numbers as
//! one read of the whole input. And a corpus of files run through the
//! `leadc score` binary with 1 and 2 threads: each case states how many
//! rows it holds and on which input lines the bad ones start, and the run
//! must account for every row — rows in = rows out + rows in the error
//! file — with those exact lines and the exit code.

use assert_cmd::Command;
use leadc::intake::chunk::{Framing, Splitter};
use leadc::intake::csv::{
    Frame, MAX_QUOTED_BYTES, Quote, Record, Records, count_line_ends, frame, frame_many,
};
use leadc::intake::lines::Lines;
use proptest::prelude::*;
use std::path::Path;

const SAAS: &str = "examples/saas/saas.lead";

// ---------------------------------------------------------------------------
// The reader: chunked = whole.

/// A record as read: line, cells, unterminated quote, bytes as written.
pub(crate) type Seen = (u64, Vec<Vec<u8>>, Option<Quote>, Vec<u8>);

pub(crate) fn read_whole(bytes: &[u8]) -> Vec<Seen> {
    let mut records = Records::new(bytes, 1);
    let mut record = Record::default();
    let mut out = Vec::new();
    while records.next_into(&mut record) {
        let cells = record.cells().map(<[u8]>::to_vec).collect();
        out.push((record.line, cells, record.unterminated, bytes[record.raw_range()].to_vec()));
    }
    out
}

fn read_chunked(bytes: &[u8], chunk_bytes: usize) -> (Vec<Seen>, Vec<u8>) {
    let mut splitter = Splitter::with_chunk_bytes(bytes, Framing::Csv, chunk_bytes);
    let mut out = Vec::new();
    let mut joined = Vec::new();
    let mut record = Record::default();
    while let Some(chunk) = splitter.next_chunk().unwrap() {
        let mut records = Records::new(&chunk.bytes, chunk.first_line);
        while records.next_into(&mut record) {
            let cells = record.cells().map(<[u8]>::to_vec).collect();
            out.push((record.line, cells, record.unterminated, chunk.bytes[record.raw_range()].to_vec()));
        }
        joined.extend_from_slice(&chunk.bytes);
    }
    (out, joined)
}

fn csv_soup() -> impl Strategy<Value = Vec<u8>> {
    let byte =
        prop::sample::select(vec![b'a', b'b', b',', b',', b'"', b'"', b'\r', b'\n', b'\n', b' ', 0xff, b'5']);
    prop::collection::vec(byte, 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn chunked_csv_reads_as_the_whole(bytes in csv_soup(), chunk_bytes in 1usize..64) {
        // A leading BOM would be skipped by the splitter only.
        prop_assume!(!bytes.starts_with(b"\xEF\xBB\xBF"));
        let whole = read_whole(&bytes);
        let (chunked, joined) = read_chunked(&bytes, chunk_bytes);
        prop_assert_eq!(&joined, &bytes, "every byte in order");
        prop_assert_eq!(&chunked, &whole);
        // Each record's line is the line ends before it, plus one.
        let mut at = 0;
        for (line, _, _, raw) in &whole {
            let start = at + find(&bytes[at..], raw);
            prop_assert_eq!(*line, 1 + count_line_ends(&bytes[..start]));
            at = start + raw.len();
        }
    }

    #[test]
    fn chunked_lines_read_as_the_whole(bytes in csv_soup(), chunk_bytes in 1usize..64) {
        prop_assume!(!bytes.starts_with(b"\xEF\xBB\xBF"));
        let whole: Vec<(u64, Vec<u8>)> = Lines::new(&bytes, 1).map(|(l, t)| (l, t.to_vec())).collect();
        let mut splitter = Splitter::with_chunk_bytes(&bytes[..], Framing::Lines, chunk_bytes);
        let mut chunked = Vec::new();
        while let Some(chunk) = splitter.next_chunk().unwrap() {
            chunked.extend(Lines::new(&chunk.bytes, chunk.first_line).map(|(l, t)| (l, t.to_vec())));
        }
        prop_assert_eq!(chunked, whole);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    /// The splitter's byte loop frames a prefix of exactly the records
    /// [`frame`] finds one by one, with the same line ends.
    #[test]
    fn frame_many_frames_what_frame_frames(bytes in csv_soup(), eof in any::<bool>(), target in 0usize..400) {
        let (len, lines) = frame_many(&bytes, eof, target);
        let (mut at, mut seen) = (0, 0);
        while at < len {
            match frame(&bytes[at..], eof) {
                Frame::Whole { len, lines, .. } => {
                    at += len;
                    seen += lines;
                }
                other => prop_assert!(false, "frame_many went past {at}, where frame says {other:?}"),
            }
        }
        prop_assert_eq!((at, seen), (len, lines));
    }
}

/// Where `needle` first occurs in `hay` (0 for an empty needle).
fn plain_soup() -> impl Strategy<Value = String> {
    let piece =
        prop::sample::select(vec!["a", "b", ",", ",", "\r", "\n", "\n", "\r\n", " ", "é", "5", "N/A"]);
    prop::collection::vec(piece, 0..300).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Text with no quote: the one-pass splitter reads the records, cells,
    /// line numbers and bytes the full reader reads.
    #[test]
    fn quote_free_text_splits_as_the_reader_reads(text in plain_soup(), first_line in 1u64..5) {
        let (mut cells, mut records) = (Vec::new(), Vec::new());
        leadc::intake::plain::split_plain(&text, first_line, &mut cells, &mut records);
        let mut seen = Vec::new();
        let mut from = 0;
        for r in &records {
            let record_cells = cells[from..r.cells].iter().map(|c| c.as_bytes().to_vec()).collect();
            seen.push((r.line, record_cells, None, text.as_bytes()[r.start..r.end].to_vec()));
            from = r.cells;
        }
        let mut whole = Records::new(text.as_bytes(), first_line);
        let mut record = Record::default();
        let mut expected: Vec<Seen> = Vec::new();
        while whole.next_into(&mut record) {
            let cells = record.cells().map(<[u8]>::to_vec).collect();
            expected.push((record.line, cells, None, text.as_bytes()[record.raw_range()].to_vec()));
        }
        prop_assert_eq!(seen, expected);
    }
}

fn find(hay: &[u8], needle: &[u8]) -> usize {
    if needle.is_empty() {
        return 0;
    }
    hay.windows(needle.len()).position(|w| w == needle).unwrap()
}

#[test]
fn a_quote_open_past_the_limit_reads_the_same_in_small_chunks() {
    let mut bytes = b"a,b\n1,\"open\n".to_vec();
    bytes.extend(std::iter::repeat_n(b'x', MAX_QUOTED_BYTES + 10));
    bytes.extend_from_slice(b"\"\n2,3\n");
    let whole = read_whole(&bytes);
    assert_eq!(whole[1].2, Some(Quote { line: 2, column: 3 }));
    assert_eq!(whole.last().unwrap().1, [b"2".to_vec(), b"3".to_vec()]);
    for chunk_bytes in [1000, 100_000, 1 << 20] {
        assert_eq!(read_chunked(&bytes, chunk_bytes).0, whole, "chunk size {chunk_bytes}");
    }
}

// ---------------------------------------------------------------------------
// The corpus, through the binary.

/// One input file and what every run of it must account for.
struct Case {
    name: String,
    bytes: Vec<u8>,
    /// Data rows in the file.
    rows: u64,
    /// The input line each bad row starts on, in order.
    bad: Vec<u64>,
    /// The exit code.
    exit: i32,
}

const HEADER: &str = "id,email,region,age,department,employees,industry,is_b2b,country,title,budget,timeline_days,email_domain,demo_request,free_trial,contact_request,email_open,web_visit,pricing_page_view,webinar_attended,unsubscribe,careers_page_view";

/// A good row with some cells replaced (by column index).
fn row(id: u32, changes: &[(usize, &str)]) -> String {
    let id = id.to_string();
    let mut cells = vec![
        id.as_str(),
        "a@x.com",
        "NA-West",
        "53",
        "IT",
        "39",
        "Software",
        "true",
        "US",
        "VP",
        "38000",
        "45",
        "x.com",
        "1",
        "0",
        "0",
        "3",
        "4",
        "2",
        "1",
        "0",
        "0",
    ];
    for &(col, value) in changes {
        cells[col] = value;
    }
    cells.join(",")
}

/// A CSV file from a header and rows; `{NL}` inside a row is an embedded
/// line end. Each row is (text, bad). Rows are joined by `end`.
fn csv_case(name: &str, end: &str, header: &str, rows: &[(String, bool)], trailing_end: bool) -> Case {
    let mut text = format!("{header}{end}");
    let mut line = 1 + count_line_ends(text.as_bytes());
    let mut bad = Vec::new();
    let mut count = 0;
    for (i, (row, is_bad)) in rows.iter().enumerate() {
        let row = row.replace("{NL}", end);
        if !row.is_empty() {
            count += 1;
            if *is_bad {
                bad.push(line);
            }
        }
        text.push_str(&row);
        if i + 1 < rows.len() || trailing_end {
            text.push_str(end);
        }
        line += count_line_ends(row.as_bytes()) + 1;
    }
    let exit = if bad.is_empty() { 0 } else { 3 };
    Case { name: format!("{name} ({end:?})"), bytes: text.into_bytes(), rows: count, bad, exit }
}

fn good(id: u32) -> (String, bool) {
    (row(id, &[]), false)
}

fn bad(text: String) -> (String, bool) {
    (text, true)
}

/// Everyday and hostile CSV shapes, each with every line end.
fn csv_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for end in ["\n", "\r\n", "\r"] {
        let plain = |name: &str, rows: Vec<(String, bool)>| csv_case(name, end, HEADER, &rows, true);
        cases.push(plain("clean", (1..=5).map(good).collect()));
        cases.push(plain("bad integer", vec![good(1), good(2), bad(row(3, &[(3, "forty")])), good(4)]));
        cases.push(plain(
            "quoted multi-line title",
            vec![good(1), (row(2, &[(9, "\"VP,{NL}Sales\"")]), false), good(3)],
        ));
        cases.push(plain(
            "a quote inside a plain cell",
            vec![good(1), (row(2, &[(9, "5\" screen")]), false), good(3)],
        ));
        cases
            .push(plain("doubled quotes", vec![(row(1, &[(9, "\"the \"\"big\"\" one\"")]), false), good(2)]));
        cases.push(plain(
            "unterminated quote mid-file",
            vec![good(1), bad(row(2, &[(9, "\"Acme, Inc")])), good(3), good(4)],
        ));
        cases.push(plain("ragged short row", vec![good(1), bad("2,b@x.com,NA-West".into()), good(3)]));
        cases.push(plain(
            "ragged long row",
            vec![good(1), bad(format!("{},extra,more", row(2, &[]))), good(3)],
        ));
        cases.push(plain(
            "invalid UTF-8 cell",
            vec![good(1), bad(row(2, &[(9, "An\u{fffd}alyst")])), good(3)],
        ));
        cases.push(plain(
            "blank lines between rows",
            vec![good(1), (String::new(), false), (String::new(), false), good(2)],
        ));
        cases.push(plain("whitespace-only line", vec![good(1), bad("   ".into()), good(2)]));
        cases.push(plain("empty cells", vec![(row(1, &[(5, ""), (10, ""), (13, "")]), false), good(2)]));
        cases.push(plain(
            "N/A and 1,200 as written",
            vec![bad(row(1, &[(3, "N/A")])), bad(row(2, &[(10, "\"1,200\"")])), good(3)],
        ));
        cases.push(plain("NUL byte in a cell", vec![good(1), bad(row(2, &[(3, "4\u{0}0")])), good(3)]));
        cases.push(plain("header only", vec![]));
        cases.push(csv_case("no line end after the last row", end, HEADER, &[good(1), good(2)], false));
        cases.push(csv_case(
            "blank lines before the header",
            end,
            &format!("{end}{end}{HEADER}"),
            &[good(1)],
            true,
        ));
        let quoted_header = HEADER.split(',').map(|h| format!("\"{h}\"")).collect::<Vec<_>>().join(",");
        cases.push(csv_case("quoted header", end, &quoted_header, &[good(1), good(2)], true));
        cases.push(csv_case(
            "a quote inside a header name",
            end,
            &format!("{HEADER},note\"s"),
            &[(format!("{},x", row(1, &[])), false)],
            true,
        ));
        let mut excel = csv_case(
            "Excel: BOM, all cells quoted",
            end,
            &quoted_header,
            &[(row(1, &[]).split(',').map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(","), false)],
            true,
        );
        excel.bytes.splice(0..0, *b"\xEF\xBB\xBF");
        cases.push(excel);
        let huge = format!("\"{}\"", "w ".repeat(200_000));
        cases.push(plain("a 400 KB quoted cell", vec![good(1), (row(2, &[(9, &huge)]), false), good(3)]));
    }
    for case in &mut cases {
        // The invalid UTF-8 case carries U+FFFD as a stand-in: put a bare 0xFF byte in.
        case.bytes = replace(&case.bytes, "\u{fffd}".as_bytes(), b"\xff");
    }
    cases
}

fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

/// Tricky records placed so that a 256 KiB chunk cut falls in or next to
/// them, at many offsets.
fn chunk_cut_cases() -> Vec<Case> {
    const CUT: usize = 256 * 1024;
    let tricky: [(&str, String, bool); 4] = [
        ("multi-line quoted cell", row(0, &[(9, "\"VP,{NL}Sales{NL}EMEA\"")]), false),
        ("quote inside a plain cell", row(0, &[(9, "5\" screen")]), false),
        ("unterminated quote", row(0, &[(9, "\"Acme")]), true),
        ("ragged row", "0,x".to_string(), true),
    ];
    let mut cases = Vec::new();
    for (name, text, is_bad) in tricky {
        for shift in [0usize, 1, 2, 5, 20, 60, 100] {
            for end in ["\n", "\r\n"] {
                let filler = row(7, &[]);
                let per = filler.len() + end.len();
                let before = (CUT - shift) / per;
                let mut rows: Vec<(String, bool)> = (0..before).map(|_| (filler.clone(), false)).collect();
                // Pad the first row so the tricky one starts `shift` bytes before the cut.
                // Chunks are cut after the header, which is read on its own.
                let pad = (CUT - shift).saturating_sub(before * per);
                rows[0].0 = row(7, &[(1, &format!("{}@x.com", "p".repeat(pad + 1)))]);
                rows.push((text.clone(), is_bad));
                rows.extend((0..50).map(|_| (filler.clone(), false)));
                cases.push(csv_case(
                    &format!("chunk cut: {name}, {shift} bytes before the cut"),
                    end,
                    HEADER,
                    &rows,
                    true,
                ));
            }
        }
    }
    cases
}

/// NDJSON shapes.
fn ndjson_cases() -> Vec<Case> {
    let good = r#"{"id": 1, "region": "NA-West", "age": 40, "behaviours": {"demo_request": 1}}"#;
    let mut cases = Vec::new();
    for end in ["\n", "\r\n", "\r"] {
        let make = |name: &str, lines: &[&str], bad: &[u64]| Case {
            name: format!("ndjson: {name} ({end:?})"),
            bytes: lines.join(end).into_bytes(),
            rows: lines.iter().filter(|l| !l.trim().is_empty()).count() as u64,
            bad: bad.to_vec(),
            exit: if bad.is_empty() { 0 } else { 3 },
        };
        cases.push(make("clean", &[good, good, good, ""], &[]));
        cases.push(make("bad JSON", &[good, "{\"age\": ", good, ""], &[2]));
        cases.push(make("blank lines", &[good, "", "  ", good, ""], &[]));
        cases.push(make("wrong type", &[good, r#"{"age": "forty"}"#, ""], &[2]));
        cases.push(make("no line end after the last", &[good, good], &[]));
    }
    let mut bom = cases[0].bytes.clone();
    bom.splice(0..0, *b"\xEF\xBB\xBF");
    cases.push(Case { name: "ndjson: BOM".into(), bytes: bom, rows: 3, bad: vec![], exit: 0 });
    let invalid = format!("{good}\n{{\"title\": \"V\u{fffd}P\"}}\n{good}\n");
    let invalid = replace(invalid.as_bytes(), "\u{fffd}".as_bytes(), b"\xff");
    cases.push(Case { name: "ndjson: invalid UTF-8".into(), bytes: invalid, rows: 3, bad: vec![2], exit: 3 });
    cases
}

/// The files from the reported findings, with what a careful reader counts.
fn finding_cases() -> Vec<Case> {
    let case = |file: &str, rows: u64, bad: &[u64], exit: i32| Case {
        name: format!("finding {file}"),
        bytes: std::fs::read(Path::new("tests/intake/findings").join(file)).unwrap(),
        rows,
        bad: bad.to_vec(),
        exit,
    };
    vec![
        case("csv_cr_only.csv", 5, &[4], 3),
        case("csv_header_stray_quote.csv", 5, &[], 0),
        case("csv_header_stray_quote_partial.csv", 10, &[], 0),
        case("csv_crlf_bad_rows.csv", 20, &[2, 11, 21], 3),
        case("csv_chunk_split_row.csv", 3970, &[], 0),
        case("csv_invalid_utf8_cell.csv", 3, &[3], 3),
        case("csv_ragged_few.csv", 3, &[3], 3),
        case("csv_ragged_many.csv", 3, &[3], 3),
        case("csv_leading_blank_line.csv", 5, &[], 0),
        case("csv_unterminated_quote_mid.csv", 5, &[3], 3),
        case("nd_bom.ndjson", 5, &[], 0),
        case("nd_good.ndjson", 5, &[], 0),
        case("nd_invalid_utf8.ndjson", 3, &[2], 3),
    ]
}

fn leadc() -> Command {
    let mut cmd = Command::cargo_bin("leadc").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
    cmd
}

/// The data rows of a CSV file (after its header), as cells.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<Vec<u8>>> {
    let mut records = Records::new(bytes, 1);
    let mut record = Record::default();
    let mut rows = Vec::new();
    while records.next_into(&mut record) {
        rows.push(record.cells().map(<[u8]>::to_vec).collect());
    }
    rows.split_off(1.min(rows.len()))
}

/// Runs one case with `threads` and checks that every row is accounted for.
fn check(case: &Case, threads: &str, dir: &Path) {
    let ndjson = case.name.starts_with("ndjson") || case.name.ends_with(".ndjson");
    let ext = if ndjson { "ndjson" } else { "csv" };
    let input = dir.join(format!("in.{ext}"));
    let out = dir.join(format!("out.{ext}"));
    let errors = dir.join(format!("errors.{ext}"));
    std::fs::write(&input, &case.bytes).unwrap();
    let result = leadc()
        .args(["score", SAAS, input.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .args(["--errors", errors.to_str().unwrap(), "--threads", threads])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&result.stderr);
    let name = &case.name;
    assert_eq!(result.status.code(), Some(case.exit), "{name}, {threads} threads: {stderr}");
    assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    let (scored, error_lines): (u64, Vec<u64>) = if ndjson {
        let out = std::fs::read(&out).unwrap();
        let errs = std::fs::read(&errors).unwrap();
        let lines: Vec<u64> = Lines::new(&errs, 1)
            .map(|(_, l)| serde_json::from_slice::<serde_json::Value>(l).unwrap()["line"].as_u64().unwrap())
            .collect();
        (Lines::new(&out, 1).count() as u64, lines)
    } else {
        let errs = csv_rows(&std::fs::read(&errors).unwrap());
        let lines = errs.iter().map(|r| String::from_utf8_lossy(&r[0]).parse().unwrap()).collect();
        (csv_rows(&std::fs::read(&out).unwrap()).len() as u64, lines)
    };
    assert_eq!(error_lines, case.bad, "{name}, {threads} threads: error lines");
    assert_eq!(
        scored + error_lines.len() as u64,
        case.rows,
        "{name}, {threads} threads: rows in = out + errors"
    );
    let summary = format!("read {} row", case.rows);
    assert!(stderr.contains(&summary), "{name}, {threads} threads: {stderr}");
    for line in &case.bad {
        assert!(
            stderr.contains(&format!("in.{ext}:{line}: ")) || case.bad.len() > 10,
            "{name}: line {line} in {stderr}"
        );
    }
}

#[test]
fn every_row_of_the_corpus_is_accounted_for() {
    let cases: Vec<Case> =
        [csv_cases(), chunk_cut_cases(), ndjson_cases(), finding_cases()].into_iter().flatten().collect();
    assert!(cases.len() >= 60, "{} cases", cases.len());
    let dir = tempfile::tempdir().unwrap();
    for case in &cases {
        for threads in ["1", "2"] {
            check(case, threads, dir.path());
        }
    }
}

// ---------------------------------------------------------------------------
// Columns as exports name them.

fn run(args: &[&str]) -> (i32, String, String) {
    let out = leadc().args(args).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

/// Timing figures vary run to run; snapshots must not.
fn without_timing(stderr: &str) -> String {
    stderr.lines().map(|l| l.split(" (0.").next().unwrap_or(l)).collect::<Vec<_>>().join("\n")
}

const CRM: [&str; 4] =
    ["examples/crm/export.csv", "--schema", "examples/crm/crm.schema.toml", "--keep=Record ID"];

#[test]
fn a_crm_export_is_read_through_the_schemas_columns_and_conventions() {
    let (code, stdout, stderr) = run(&[&["score", SAAS][..], &CRM[..]].concat());
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("crm_export_stderr", without_timing(&stderr));
    insta::assert_snapshot!("crm_export_scores", stdout);
}

#[test]
fn a_field_with_no_column_is_a_warning_q_keeps_and_strict_refuses() {
    let header = "id,email,region,age";
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("few.csv");
    std::fs::write(&input, format!("{header}\n1,a@x.com,EMEA,40\n")).unwrap();
    let input = input.to_str().unwrap();
    let (code, _, stderr) = run(&["score", SAAS, input, "-q", "-o", "/dev/null"]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("warning: `") && stderr.contains("has no column for the field(s) `department`"),
        "{stderr}"
    );
    assert!(stderr.contains("--map"), "{stderr}");
    let (code, stdout, stderr) = run(&["score", SAAS, input, "--strict"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "nothing scored: {stdout}");
    assert!(stderr.contains("error: `") && stderr.contains("(--strict stops here)"), "{stderr}");
    // A file with every column passes --strict.
    let (code, _, stderr) = run(&["score", SAAS, "examples/saas/leads.csv", "--strict", "-o", "/dev/null"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn map_overrides_and_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("one.csv");
    std::fs::write(&input, "Size,age\n1200,40\n").unwrap();
    let input = input.to_str().unwrap();
    let (code, stdout, stderr) =
        run(&["score", SAAS, input, "--map", "Size=employees", "--output-format", "ndjson", "--explain"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("note: reading `Size` as `employees` (as mapped)"), "{stderr}");
    assert!(stdout.contains("employees in 100..4999"), "the fit rule on employees fired: {stdout}");
    let (code, _, stderr) = run(&["score", SAAS, input, "--map", "Size=employes"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no field or behaviour `employes` (did you mean `employees`?)"), "{stderr}");
    let (code, _, stderr) = run(&["score", SAAS, input, "--map", "Size"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("expected `COLUMN=NAME`"), "{stderr}");
}

// NDJSON as written (F15).

#[test]
fn ndjson_values_are_read_and_kept_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("leads.ndjson");
    let lines = [
        r#"{"id": "a", "age": -0, "region": "EMEA"}"#,
        r#"{"id": "b", "age": 99999999999999999999}"#,
        r#"{"id": "c", "age": 40, "age": 41}"#,
        r#"{"id": "d", "behaviours": {"web_visit": 1, "web_visit": 2}}"#,
        r#"{"id": "e", "web_visit": 1, "behaviours": {"web_visit": 2}}"#,
        r#"{"id": {"crm": [1, 2.50]}, "age": 30}"#,
        r#"{"id": 1e2, "age": 30.0}"#,
    ];
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let input = input.to_str().unwrap();
    let (code, stdout, stderr) = run(&["score", SAAS, input, "--keep", "id"]);
    assert_eq!(code, 3, "five bad rows: {stderr}");
    let stderr = without_timing(&stderr).replace(input, "leads.ndjson");
    insta::assert_snapshot!("ndjson_as_written_stderr", stderr);
    insta::assert_snapshot!("ndjson_as_written_scores", stdout);
    let (code, stdout, _) = run(&["score", SAAS, input, "--keep", "id", "-q", "--output-format", "csv"]);
    assert_eq!(code, 3);
    insta::assert_snapshot!("ndjson_as_written_csv", stdout);
}

#[test]
fn ndjson_keep_of_a_key_no_line_has_is_a_usage_error() {
    let (code, stdout, stderr) =
        run(&["score", SAAS, "tests/intake/findings/nd_good.ndjson", "--keep", "idd", "-q"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.lines().count() > 1, "the rows are still scored: {stdout}");
    insta::assert_snapshot!("ndjson_keep_unseen", stderr);
}
