//! `leadc score` on Parquet files (written by DuckDB: see
//! scripts/parquet_fixtures.py): the same scores as the CSV they came
//! from, in order across row groups and threads; Parquet output that holds
//! the CSV output's values with the kept columns' own types; bad values
//! located by row and never lost (`--errors` keeps every input column);
//! and clear refusals where Parquet cannot go.

use insta::assert_snapshot;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::file::properties::WriterProperties;
use std::path::Path;

const SAAS: &str = "examples/saas/saas.lead";
const SAAS_PARQUET: &str = "tests/data/parquet/saas_leads.parquet";
const HOSTILE: &str = "tests/data/parquet/hostile.parquet";

fn leadc(args: &[&str]) -> (i32, String, String) {
    let run = super::commands::run(args);
    (run.code, run.stdout, super::commands::without_timing(&run.stderr))
}

fn stdout_of(args: &[&str]) -> String {
    let (code, stdout, stderr) = leadc(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    stdout
}

/// Every row of a Parquet file, each cell as the CSV output writes it.
fn rows_of(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int32Type, Int64Type, UInt8Type, UInt32Type, UInt64Type};
    use arrow_schema::DataType;
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap();
    let names = reader.schema().fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = Vec::new();
    for batch in reader.build().unwrap() {
        let batch = batch.unwrap();
        for r in 0..batch.num_rows() {
            let cell = |a: &dyn arrow_array::Array| -> String {
                if a.is_null(r) {
                    return String::new();
                }
                match a.data_type() {
                    DataType::Int64 => a.as_primitive::<Int64Type>().value(r).to_string(),
                    DataType::Int32 => a.as_primitive::<Int32Type>().value(r).to_string(),
                    DataType::Float64 => a.as_primitive::<Float64Type>().value(r).to_string(),
                    DataType::UInt64 => a.as_primitive::<UInt64Type>().value(r).to_string(),
                    DataType::UInt32 => a.as_primitive::<UInt32Type>().value(r).to_string(),
                    DataType::UInt8 => a.as_primitive::<UInt8Type>().value(r).to_string(),
                    DataType::Boolean => a.as_boolean().value(r).to_string(),
                    DataType::Utf8 => a.as_string::<i32>().value(r).to_string(),
                    t => panic!("unexpected column type {t}"),
                }
            };
            rows.push(batch.columns().iter().map(|a| cell(a.as_ref())).collect());
        }
    }
    (names, rows)
}

/// `input` rewritten `copies` times over, with row groups of `rows` rows.
fn regrouped(input: &str, rows: usize, copies: usize, out: &Path) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(input).unwrap()).unwrap();
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(rows)).build();
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(out).unwrap(), reader.schema().clone(), Some(props))
            .unwrap();
    let batches: Vec<_> = reader.build().unwrap().map(Result::unwrap).collect();
    for _ in 0..copies {
        batches.iter().for_each(|b| writer.write(b).unwrap());
    }
    writer.close().unwrap();
}

#[test]
fn parquet_input_scores_as_the_csv_it_came_from() {
    let csv = stdout_of(&["score", SAAS, "examples/saas/leads.csv", "--keep", "id,email", "-q"]);
    assert_eq!(stdout_of(&["score", SAAS, SAAS_PARQUET, "--keep", "id,email", "-q"]), csv);
    // NDJSON keeps a typed column's type: `id` is a number, not a string.
    let ndjson =
        stdout_of(&["score", SAAS, SAAS_PARQUET, "--keep", "id,email", "-q", "--output-format", "ndjson"]);
    let first = ndjson.lines().next().unwrap();
    assert!(first.starts_with(r#"{"id":1,"email":"fatima.1@yahoo.com","score":"#), "{first}");
    let from_csv = stdout_of(&[
        "score",
        SAAS,
        "examples/saas/leads.csv",
        "--keep",
        "email",
        "-q",
        "--output-format",
        "ndjson",
    ]);
    assert_eq!(
        stdout_of(&["score", SAAS, SAAS_PARQUET, "--keep", "email", "-q", "--output-format", "ndjson"]),
        from_csv
    );
    // Events as lists of TIMESTAMPTZ (microseconds) score as the CSV's `;` lists.
    let timed = ["score", "examples/timed/timed.lead", "--keep", "id", "-q", "--as-of", "2026-11-30"];
    let at = |input: &str| {
        let mut args = timed.to_vec();
        args.insert(2, input);
        stdout_of(&args)
    };
    assert_eq!(at("tests/data/parquet/timed_leads.parquet"), at("examples/timed/leads.csv"));
    // A kept list column is written as a CSV event cell: `;`-separated.
    let kept = stdout_of(&[
        "score",
        "examples/timed/timed.lead",
        "tests/data/parquet/timed_leads.parquet",
        "--keep",
        "id,web_visit,pricing_page_view",
        "-q",
        "--as-of",
        "2026-11-30",
    ]);
    let second = kept.lines().nth(1).unwrap();
    assert!(
        second.starts_with("1,2026-11-20T00:00:00Z;2026-11-27T00:00:00Z;2026-11-29T09:30:00Z,2026-11-25T00:00:00Z;2026-11-28T00:00:00Z,"),
        "{kept}"
    );
}

#[test]
fn row_groups_are_written_in_input_order_on_any_number_of_threads() {
    // 250 copies of the 300 leads (75,000) in 774 row groups of 97 rows:
    // two work items of runs of row groups, each of several batches.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("groups.parquet");
    regrouped(SAAS_PARQUET, 97, 250, &file);
    let csv = stdout_of(&["score", SAAS, "examples/saas/leads.csv", "--keep", "id", "-q"]);
    let (header, rows) = csv.split_once('\n').unwrap();
    let expected = format!("{header}\n{}", rows.repeat(250));
    for threads in ["1", "3"] {
        let got =
            stdout_of(&["score", SAAS, file.to_str().unwrap(), "--keep", "id", "-q", "--threads", threads]);
        assert!(got == expected, "{threads} threads: the output differs from the CSV's");
    }
}

#[test]
fn parquet_output_holds_the_csv_values_and_keeps_column_types() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("scored.parquet");
    let csv = stdout_of(&["score", SAAS, "examples/saas/leads.csv", "--keep", "id,email", "-q"]);
    stdout_of(&["score", SAAS, SAAS_PARQUET, "--keep", "id,email", "-q", "-o", out.to_str().unwrap()]);
    let (names, rows) = rows_of(&out);
    let mut lines = csv.lines();
    assert_eq!(names.join(","), lines.next().unwrap());
    let expected: Vec<Vec<String>> = lines.map(|l| l.split(',').map(String::from).collect()).collect();
    assert_eq!(rows, expected);
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&out).unwrap()).unwrap();
    let types: Vec<String> =
        reader.schema().fields().iter().map(|f| format!("{}: {}", f.name(), f.data_type())).collect();
    assert_snapshot!(types.join("\n"), @r"
    id: Int64
    email: Utf8
    score: Int64
    rank: Int64
    points: Int64
    tier: Utf8
    qualified: Boolean
    segment: UInt8
    requires_met: UInt32
    good_fit_points: Int64
    ideal_points: Int64
    critical_points: Int64
    interest_points: Int64
    penalties_points: Int64
    error: Utf8
    ");
}

#[test]
fn csv_and_ndjson_inputs_write_parquet_too() {
    let dir = tempfile::tempdir().unwrap();
    // A bad row among good ones, routed to a CSV error file.
    let source = std::fs::read_to_string("examples/saas/leads.csv").unwrap();
    let mut lines: Vec<String> = source.lines().map(String::from).collect();
    let age = lines[0].split(',').position(|c| c == "age").unwrap();
    let mut cells: Vec<String> = lines[3].split(',').map(String::from).collect();
    cells[age] = "forty".into();
    lines[3] = cells.join(",");
    let csv = dir.path().join("leads.csv");
    std::fs::write(&csv, lines.join("\n") + "\n").unwrap();
    let (out, bad) = (dir.path().join("out.parquet"), dir.path().join("bad.csv"));
    let (csv, out, bad) = (csv.to_str().unwrap(), out.to_str().unwrap(), bad.to_str().unwrap());
    let (code, _, _) = leadc(&["score", SAAS, csv, "--keep", "id,email", "-q", "-o", out, "--errors", bad]);
    assert_eq!(code, 3);
    let text = stdout_of_code(&["score", SAAS, csv, "--keep", "id,email", "-q", "--errors", bad], 3);
    let (names, rows) = rows_of(Path::new(out));
    let mut text = text.lines();
    assert_eq!(names.join(","), text.next().unwrap());
    let expected: Vec<Vec<String>> = text.map(|l| l.split(',').map(String::from).collect()).collect();
    assert_eq!(rows, expected, "the same rows as the CSV output, the bad one in the error file");
    assert_eq!(rows.len(), 299);
    let errors = std::fs::read_to_string(bad).unwrap();
    assert!(
        errors.lines().nth(1).unwrap().starts_with("4,column `age`: `forty` is not an integer,"),
        "{errors}"
    );
    // NDJSON in, Parquet out: kept values as strings, an absent key null.
    let ndjson = dir.path().join("leads.ndjson");
    std::fs::write(&ndjson, "{\"id\": 7, \"region\": \"EMEA\", \"age\": 40}\n{\"region\": \"APAC\"}\n")
        .unwrap();
    let out = dir.path().join("nd.parquet");
    let (code, _, stderr) =
        leadc(&["score", SAAS, ndjson.to_str().unwrap(), "--keep", "id", "-q", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let (_, rows) = rows_of(&out);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["7", ""]);
}

#[test]
fn bad_values_are_located_by_row_and_marked() {
    let (code, stdout, stderr) = leadc(&["score", SAAS, HOSTILE, "--keep", "id"]);
    assert_eq!(code, 3);
    assert_snapshot!(format!("{stdout}\n{stderr}"));
}

#[test]
fn bad_rows_go_to_a_parquet_error_file_with_every_input_column() {
    let dir = tempfile::tempdir().unwrap();
    let (out, bad) = (dir.path().join("out.parquet"), dir.path().join("bad.parquet"));
    let args = [
        "score",
        SAAS,
        HOSTILE,
        "--keep",
        "id",
        "-q",
        "-o",
        out.to_str().unwrap(),
        "--errors",
        bad.to_str().unwrap(),
    ];
    let (code, _, _) = leadc(&args);
    assert_eq!(code, 3);
    let (_, good) = rows_of(&out);
    let ids: Vec<&str> = good.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, ["1", "3", "4"], "the bad row is not in the output");
    let (names, bad_rows) = rows_of(&bad);
    assert_eq!(names, ["row", "error", "id", "age", "employees", "region", "demo_request", "industry"]);
    assert_eq!(bad_rows.len(), 1);
    let row = &bad_rows[0];
    assert_eq!(
        (row[0].as_str(), row[2].as_str(), row[3].as_str(), row[5].as_str()),
        ("2", "2", "forty", "Mars")
    );
    assert!(row[1].starts_with("column `age`: `forty` is not an integer"), "{}", row[1]);
}

/// The saas leads with `age` as text, `forty` in row `bad` (from 0), in
/// row groups of 64 rows.
fn with_bad_age(bad: usize, out: &Path) {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int64Type;
    use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
    use std::sync::Arc;
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(SAAS_PARQUET).unwrap()).unwrap();
    let batch = reader.with_batch_size(1 << 20).build().unwrap().next().unwrap().unwrap();
    let at = batch.schema().index_of("age").unwrap();
    let ages = batch.column(at).as_primitive::<Int64Type>();
    let texts: StringArray = (0..batch.num_rows())
        .map(|r| match r {
            _ if r == bad => Some("forty".to_string()),
            _ if ages.is_null(r) => None,
            _ => Some(ages.value(r).to_string()),
        })
        .collect();
    let mut columns: Vec<(String, ArrayRef)> = batch
        .schema()
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, c)| (f.name().clone(), c.clone()))
        .collect();
    columns[at].1 = Arc::new(texts);
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let props = WriterProperties::builder().set_max_row_group_row_count(Some(64)).build();
    let mut writer =
        ArrowWriter::try_new(std::fs::File::create(out).unwrap(), batch.schema(), Some(props)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

#[test]
fn strict_stops_at_the_first_bad_row_and_writes_the_rows_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad_age.parquet");
    with_bad_age(100, &file);
    let csv = stdout_of(&["score", SAAS, "examples/saas/leads.csv", "--keep", "id", "-q"]);
    let (code, stdout, stderr) = leadc(&["score", SAAS, file.to_str().unwrap(), "--keep", "id", "--strict"]);
    assert_eq!(code, 3, "{stderr}");
    let before: Vec<&str> = csv.lines().take(101).collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), before, "the header and the 100 rows before the bad one");
    assert_snapshot!(stderr.replace(dir.path().to_str().unwrap(), "<tmp>"), @r"
    error: <tmp>/bad_age.parquet: row 101: column `age`: `forty` is not an integer
    error: <tmp>/bad_age.parquet: row 101: bad data; stopped there (--strict)
    ");
    // Without --strict every row is written, the bad one marked.
    let all = stdout_of_code(&["score", SAAS, file.to_str().unwrap(), "--keep", "id", "-q"], 3);
    assert_eq!(all.lines().count(), 301);
    assert!(all.lines().nth(101).unwrap().ends_with(",column `age`: `forty` is not an integer"));
}

fn stdout_of_code(args: &[&str], expected: i32) -> String {
    let (code, stdout, stderr) = leadc(args);
    assert_eq!(code, expected, "{args:?}: {stderr}");
    stdout
}

#[test]
fn where_parquet_cannot_go_is_said_up_front() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.parquet");
    std::fs::write(&junk, b"PAR1 this is not a parquet file").unwrap();
    let cases: [(&str, Vec<&str>); 3] = [
        ("stdin", vec!["score", SAAS, "-", "--input-format", "parquet"]),
        ("csv error file", vec!["score", SAAS, HOSTILE, "--errors", "bad.csv"]),
        ("not parquet", vec!["score", SAAS, junk.to_str().unwrap()]),
    ];
    let mut seen = Vec::new();
    for (what, args) in cases {
        let (code, _, stderr) = leadc(&args);
        let stderr = stderr.replace(dir.path().to_str().unwrap(), "<tmp>");
        seen.push(format!("{what} (exit {code}): {stderr}"));
    }
    assert_snapshot!(seen.join("\n"));
}

#[test]
fn damaged_files_give_an_error_not_a_panic() {
    let good = std::fs::read(SAAS_PARQUET).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("damaged.parquet");
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |m: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % m
    };
    for case in 0..48 {
        let mut bytes = good.clone();
        match case % 3 {
            0 => bytes.truncate(next(good.len())),
            1 => (0..4).for_each(|_| {
                let at = next(bytes.len());
                bytes[at] ^= 1 << next(8);
            }),
            // The footer and its length: where a reader trusts the file most.
            _ => {
                let at = bytes.len() - 1 - next(64.min(bytes.len()));
                bytes[at] = next(256) as u8;
            }
        }
        std::fs::write(&file, &bytes).unwrap();
        let (code, _, stderr) = leadc(&["score", SAAS, file.to_str().unwrap(), "-q", "-o", "/dev/null"]);
        assert!(!stderr.contains("panicked") && code != 101, "case {case}: exit {code}: {stderr}");
        assert!([0, 3].contains(&code), "case {case}: exit {code}: {stderr}");
    }
}

#[test]
fn explain_finds_a_parquet_lead_by_row_or_id() {
    let from_parquet = stdout_of(&["explain", SAAS, SAAS_PARQUET, "--row", "7"]);
    let from_csv = stdout_of(&["explain", SAAS, "examples/saas/leads.csv", "--row", "7"]);
    let (first, rest) = from_parquet.split_once('\n').unwrap();
    assert_eq!(first, "lead: tests/data/parquet/saas_leads.parquet: row 7");
    assert_eq!(Some(rest), from_csv.split_once('\n').map(|(_, rest)| rest), "the same breakdown");
    assert_eq!(stdout_of(&["explain", SAAS, SAAS_PARQUET, "--id", "7"]), from_parquet, "id 7 is row 7");
    let mut seen = Vec::new();
    for args in [["--row", "2"], ["--id", "99"], ["--row", "9"]] {
        let (code, _, stderr) = leadc(&["explain", SAAS, HOSTILE, args[0], args[1]]);
        seen.push(format!("{} {} (exit {code}): {stderr}", args[0], args[1]));
    }
    assert_snapshot!(seen.join("\n"), @r"
    --row 2 (exit 3): error: tests/data/parquet/hostile.parquet: row 2: column `age`: `forty` is not an integer; column `employees`: `1.5` is not an integer; column `region`: `Mars` is not one of `NA-West`, `NA-East`, `EMEA`, `APAC`, `LATAM`; column `demo_request`: `-1` is not a count (a whole number from 0 to 4294967295)
    --id 99 (exit 3): error: `tests/data/parquet/hostile.parquet` has no lead with id = `99`
    --row 9 (exit 3): error: `tests/data/parquet/hostile.parquet` has fewer than 9 leads
    ");
}

#[test]
fn a_parquet_file_on_stdin_is_recognised() {
    let out = super::commands::leadc()
        .args(["score", SAAS, "-"])
        .write_stdin(std::fs::read(SAAS_PARQUET).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_snapshot!(String::from_utf8_lossy(&out.stderr), @"error: `<stdin>` is a Parquet file, not CSV: pass its path, named `*.parquet` or with `--input-format parquet` (Parquet is read from its footer, so not from stdin)");
}

#[test]
fn explain_columns_are_the_same_from_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fired.parquet");
    let csv = stdout_of(&["score", SAAS, "examples/saas/leads.csv", "--keep", "id", "-q", "--explain"]);
    assert_eq!(stdout_of(&["score", SAAS, SAAS_PARQUET, "--keep", "id", "-q", "--explain"]), csv);
    stdout_of(&["score", SAAS, SAAS_PARQUET, "--keep", "id", "-q", "--explain", "-o", out.to_str().unwrap()]);
    let (names, rows) = rows_of(&out);
    let fired = names.iter().position(|n| n == "fired").unwrap();
    let mut lines = csv.lines();
    let at = lines.next().unwrap().split(',').position(|n| n == "fired").unwrap();
    for (row, line) in rows.iter().zip(lines) {
        assert_eq!(row[fired], line.split(',').nth(at).unwrap(), "row {}", row[0]);
    }
    assert!(rows.iter().any(|r| !r[fired].is_empty()), "some rule fired");
}

#[test]
fn a_codec_leadc_lacks_says_how_to_re_save_and_what_was_written() {
    let (code, stdout, stderr) = leadc(&["score", SAAS, "tests/data/parquet/brotli.parquet", "--keep", "id"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "only the header was written:\n{stdout}");
    assert!(stderr.contains("as Parquet from row 1 on: "), "{stderr}");
    assert!(
        stderr.contains("brotli; leadc reads Snappy, Zstandard, LZ4 and gzip pages: re-save"),
        "{stderr}"
    );
    assert!(stderr.contains("COMPRESSION zstd"), "{stderr}");
    // The summary says how many rows were written before the damage.
    assert!(stderr.contains("read 0 rows, scored 0, errored 0"), "{stderr}");
}

#[test]
fn two_columns_for_one_field_name_the_files_columns() {
    let (code, stdout, stderr) = leadc(&["score", SAAS, "tests/data/parquet/twice.parquet"]);
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("error: the file's columns: the columns `age` and `AGE_` both fill `age`; drop one"),
        "{stderr}"
    );
}
