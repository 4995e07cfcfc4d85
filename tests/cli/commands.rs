//! The `leadc` binary end to end: every subcommand, exit code, format, and
//! bad-data path, with snapshots of what users see.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const SAAS: &str = "examples/saas/saas.lead";
const LEADS: &str = "examples/saas/leads.csv";

pub(crate) fn leadc() -> Command {
    let mut cmd = Command::cargo_bin("leadc").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
    cmd
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

pub(crate) fn run(args: &[&str]) -> Run {
    run_with(leadc().args(args))
}

fn run_with(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Timing figures vary run to run; snapshots must not.
pub(crate) fn without_timing(stderr: &str) -> String {
    stderr
        .lines()
        .map(|l| match l.find(" (") {
            Some(i) if l.starts_with("read ") => format!("{} (<timing>)", &l[..i]),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// A copy of the saas program and schema in `dir`, with `edit` applied to the program.
fn saas_variant(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    std::fs::copy("examples/saas/saas.schema.toml", dir.join("saas.schema.toml")).unwrap();
    let source = std::fs::read_to_string(SAAS).unwrap();
    write(dir, "saas.lead", &edit(source))
}

#[test]
fn check_clean_program() {
    let r = run(&["check", SAAS]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stderr);
}

#[test]
fn check_reports_every_error_human_and_json() {
    let dir = temp_dir();
    let program = saas_variant(dir.path(), |s| {
        s.replace("fit title = \"VP\" ", "fit titel = \"VP\" ")
            .replace("require age >= 18 ", "require age >= \"18\" ")
    });
    let path = program.to_str().unwrap();
    let human = run(&["check", path]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!(human.stderr.replace(path, "saas.lead"));
    let json = run(&["check", path, "--format", "json"]);
    assert_eq!(json.code, 1);
    let lines: Vec<serde_json::Value> =
        json.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2, "{}", json.stdout);
    for d in &lines {
        assert_eq!(d["severity"], "error");
        assert!(d["line"].as_u64().unwrap() > 0);
        assert!(d["code"].as_str().unwrap().starts_with("E03"));
    }
}

/// A megabyte-long line in a program or a schema gives a diagnostic of a
/// few hundred bytes, at the true line and column, in text and in JSON.
#[test]
fn megabyte_lines_give_short_diagnostics() {
    let dir = temp_dir();
    let values =
        |from: usize| (from..from + 60_000).map(|i| format!("\"v{i}\"")).collect::<Vec<_>>().join(", ");
    let terms: Vec<String> = (0..60_000).map(|i| format!("title = \"t{i}\"")).collect();
    let (before, after) = terms.split_at(30_000);
    let line = format!("fit {} or titel = \"x\" or {} : 1", before.join(" or "), after.join(" or "));
    let column = line.find("titel").unwrap() + 1;
    let saas_schema = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/saas/saas.schema.toml");
    let program = write(dir.path(), "long.lead", &format!("schema \"{saas_schema}\"\ncategory c\n{line}\n"));
    let schema = write(
        dir.path(),
        "long.schema.toml",
        &format!(
            "[fields]\nregion = {{ type = \"enum\", values = [{}, 5, {}] }}\n",
            values(0),
            values(50_000)
        ),
    );
    let short = write(dir.path(), "short.lead", "category c\nfit region = \"v1\" : 1\n");
    assert!(line.len() > 1_000_000 && std::fs::metadata(&schema).unwrap().len() > 1_000_000);

    let r = run(&["check", program.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("long.lead:3:{column}")), "{}", r.stderr);
    assert!(r.stderr.len() < 1_000, "{} bytes of stderr", r.stderr.len());
    let json = run(&["check", program.to_str().unwrap(), "--format", "json"]);
    let d: serde_json::Value = serde_json::from_str(json.stdout.trim()).unwrap();
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(3), Some(column as u64)));
    assert!(json.stdout.len() < 1_000, "{} bytes of JSON", json.stdout.len());

    let r = run(&["check", short.to_str().unwrap(), "--schema", schema.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("long.schema.toml:2:10"), "{}", r.stderr);
    assert!(r.stderr.len() < 1_000, "{} bytes of stderr", r.stderr.len());
}

#[test]
fn missing_program_file_is_an_io_error() {
    let r = run(&["check", "no/such/file.lead"]);
    assert_eq!(r.code, 4);
    assert!(r.stderr.contains("cannot read `no/such/file.lead`"), "{}", r.stderr);
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["score"]).code, 2);
    let r = run(&["score", SAAS, LEADS, "--keep", "idd"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `id`"), "{}", r.stderr);
}

#[test]
fn lint_report_human_and_json() {
    let r = run(&["lint", SAAS, "--report"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let json = run(&["lint", SAAS, "--report", "--format", "json"]);
    assert_eq!(json.code, 0);
    let last: serde_json::Value = serde_json::from_str(json.stdout.lines().last().unwrap()).unwrap();
    assert!(last["budget"].is_object());
}

#[test]
fn lint_deny_warnings_fails_on_a_warning() {
    let dir = temp_dir();
    // Only fit rules: the missing-dimension lint warns.
    write(dir.path(), "s.schema.toml", "[fields]\nage = \"int\"\n");
    let p =
        write(dir.path(), "p.lead", "schema \"s.schema.toml\"\ncategory fit max 100\nfit age >= 18 : 100\n");
    let p = p.to_str().unwrap();
    let warn = run(&["lint", p]);
    assert_eq!(warn.code, 0, "{}", warn.stderr);
    assert!(warn.stderr.contains("warning"), "{}", warn.stderr);
    let deny = run(&["lint", p, "--deny", "warnings"]);
    assert_eq!(deny.code, 1, "{}", deny.stderr);
}

#[test]
fn score_csv_to_stdout() {
    let r = run(&["score", SAAS, LEADS, "--keep", "id"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 301, "a header and one row per lead");
    insta::assert_snapshot!(lines[..8].join("\n"));
    insta::assert_snapshot!(without_timing(&r.stderr));
}

#[test]
fn score_reads_stdin_and_writes_ndjson() {
    let input = std::fs::read(LEADS).unwrap();
    let r = run_with(
        leadc().args(["score", SAAS, "--keep", "id", "--output-format", "ndjson", "-q"]).write_stdin(input),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 300);
    insta::assert_snapshot!(r.stdout.lines().take(3).collect::<Vec<_>>().join("\n"));
}

#[test]
fn score_ndjson_input_matches_csv_input() {
    let dir = temp_dir();
    let leads = "{\"id\": 1, \"region\": \"NA-West\", \"age\": 40, \"department\": \"IT\", \"employees\": 200, \
                 \"industry\": \"Software\", \"is_b2b\": true, \"behaviours\": {\"demo_request\": 1, \"email_open\": 7}}\n\
                 \n\
                 {\"id\": 2, \"region\": \"EMEA\"}\n";
    let input = write(dir.path(), "leads.ndjson", leads);
    let r = run(&["score", SAAS, input.to_str().unwrap(), "--keep", "id", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

/// F08: `null` counts are 0 and `null` fields missing (docs/schema.md,
/// "NDJSON leads"), in `score` and in `explain --lead`; they used to be
/// rejected as bad data.
#[test]
fn null_counts_and_fields_are_read_as_zero_and_missing() {
    let r = run(&["score", SAAS, "tests/data/null_counts.ndjson", "--output-format", "ndjson", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "");
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(row.get("error"), None, "{row}");
        assert_eq!((row["score"].as_i64(), row["tier"].as_str()), (Some(0), Some("cold")), "{row}");
    }
    let empty = run(&["explain", SAAS, "--lead", "{}", "--format", "json"]);
    let null =
        run(&["explain", SAAS, "--lead", r#"{"behaviours": {"demo_request": null}}"#, "--format", "json"]);
    assert_eq!((null.code, empty.code), (0, 0), "{}", null.stderr);
    assert_eq!(null.stdout.replace("{\"behaviours\": {\"demo_request\": null}}", "{}"), empty.stdout);
}

#[test]
fn score_explain_adds_fired_rules() {
    let r = run(&["score", SAAS, LEADS, "--keep", "id", "--explain", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout.lines().take(4).collect::<Vec<_>>().join("\n"));
}

const BAD_LEADS: &str = "id,region,age,is_b2b,demo_request\n\
                         1,NA-West,40,true,1\n\
                         2,NA-West,forty,true,0\n\
                         3,Mars,30,maybe,x\n\
                         4,NA-East,22\n\
                         5,NA-East,50,false,2\n";

#[test]
fn bad_rows_are_marked_not_dropped() {
    let dir = temp_dir();
    let input = write(dir.path(), "bad.csv", BAD_LEADS);
    let r = run(&["score", SAAS, input.to_str().unwrap(), "--keep", "id", "-q"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.stdout.lines().count(), 6, "a header and all five rows");
    insta::assert_snapshot!("bad_rows_stdout", r.stdout);
    insta::assert_snapshot!("bad_rows_stderr", r.stderr.replace(input.to_str().unwrap(), "bad.csv"));
}

#[test]
fn bad_rows_go_to_the_error_file() {
    let dir = temp_dir();
    let input = write(dir.path(), "bad.csv", BAD_LEADS);
    let errors = dir.path().join("rejects.csv");
    let out = dir.path().join("scored.csv");
    let r = run(&[
        "score",
        SAAS,
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--errors",
        errors.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 3);
    let scored = std::fs::read_to_string(&out).unwrap();
    let rejected = std::fs::read_to_string(&errors).unwrap();
    // Rows in = rows out + rows in the error file.
    assert_eq!(scored.lines().count() - 1 + rejected.lines().count() - 1, 5);
    insta::assert_snapshot!(rejected);
    assert!(without_timing(&r.stderr).contains("read 5 rows, scored 2, errored 3"), "{}", r.stderr);
}

#[test]
fn strict_stops_at_the_first_bad_row() {
    let dir = temp_dir();
    // Every column present: --strict refuses a file that lacks one.
    let leads = std::fs::read_to_string(LEADS).unwrap();
    let mut lines: Vec<String> = leads.lines().take(5).map(String::from).collect();
    lines[2] = lines[2].replacen(",40,", ",forty,", 1);
    let input = write(dir.path(), "bad.csv", &(lines.join("\n") + "\n"));
    let r = run(&["score", SAAS, input.to_str().unwrap(), "--strict", "-q"]);
    assert_eq!(r.code, 3);
    assert_eq!(r.stdout.lines().count(), 2, "the header and the one good row before the bad one");
    assert!(r.stderr.contains(":3: column `age`: `forty` is not an integer"), "{}", r.stderr);
}

#[test]
fn missing_columns_are_reported_once() {
    let dir = temp_dir();
    let input = write(dir.path(), "few.csv", "id,age\n1,30\n2,40\n");
    let r = run(&["score", SAAS, input.to_str().unwrap()]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr.matches("has no column for the field(s)").count(), 1, "{}", r.stderr);
    assert_eq!(r.stderr.matches("has no column for the behaviour(s)").count(), 1, "{}", r.stderr);
}

#[test]
fn score_output_is_identical_for_any_thread_count() {
    let dir = temp_dir();
    let mut csv = std::fs::read_to_string(LEADS).unwrap();
    let rows: String = csv.lines().skip(1).map(|l| format!("{l}\n")).collect();
    for _ in 0..60 {
        csv.push_str(&rows);
    }
    let input = write(dir.path(), "many.csv", &csv);
    let one = run(&["score", SAAS, input.to_str().unwrap(), "--threads", "1", "-q", "--explain"]);
    let three = run(&["score", SAAS, input.to_str().unwrap(), "--threads", "3", "-q", "--explain"]);
    assert_eq!(one.code, 0);
    assert_eq!(one.stdout.lines().count(), 300 * 61 + 1);
    assert!(one.stdout == three.stdout, "thread count changed the output");
}

#[test]
fn explain_a_row_human_and_json() {
    let r = run(&["explain", SAAS, LEADS, "--row", "3"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
    let j = run(&["explain", SAAS, LEADS, "--id", "3", "--format", "json"]);
    assert_eq!(j.code, 0, "{}", j.stderr);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["lead"], "examples/saas/leads.csv:4 (row 3)");
    assert_eq!(v["rules"].as_array().unwrap().len(), 19, "every rule of the program, fired or not");
    // Every must-have and rule carries the values it read, typed.
    assert_eq!(v["requires"][1]["values"], serde_json::json!({ "age": 36 }));
    assert_eq!(v["requires"][2]["values"], serde_json::json!({ "department": "Marketing" }));
    assert_eq!(v["segment_values"], serde_json::json!({ "employees": 433 }));
    assert_eq!(v["rules"][1]["values"], serde_json::json!({ "is_b2b": false }));
    assert_eq!(v["rules"][7]["values"], serde_json::json!({ "budget": null }), "missing is null");
    assert_eq!(v["rules"][12]["values"], serde_json::json!({ "email_open": 7 }));
}

/// Why a must-have failed: the value it read is beside it, a missing field
/// says so, and a behaviour rule shows its count.
#[test]
fn explain_shows_the_values_that_decided() {
    let lead = r#"{"region": "EMEA", "age": 16, "department": "IT", "demo_request": 2}"#;
    let r = run(&["explain", SAAS, "--lead", lead]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let row = |needle: &str| r.stdout.lines().find(|l| l.contains(needle)).unwrap_or("").to_string();
    assert!(row("require age >= 18").ends_with("NOT met  age = 16"), "{}", r.stdout);
    assert!(row("require region in").ends_with(r#"NOT met  region = "EMEA""#), "{}", r.stdout);
    assert!(row("fit employees in").ends_with("-    employees missing"), "{}", r.stdout);
    assert!(row("*behaviour demo_request").ends_with("+20    demo_request × 2"), "{}", r.stdout);
    assert!(r.stdout.contains("segment on `employees`: digit 0   (employees missing)"), "{}", r.stdout);
}

#[test]
fn explain_an_inline_lead_and_missing_leads() {
    let lead = r#"{"region": "NA-West", "age": 40, "department": "IT", "employees": 200,
                   "industry": "Software", "is_b2b": true, "demo_request": 1, "email_open": 7, "unsubscribe": 1}"#;
    let r = run(&["explain", SAAS, "--lead", lead]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The lead of docs/language.md's worked example; the saas program also has
    // `fit employees in 100..4999 : 5`, so good_fit is 23 here: 23 + 20 + 5 - 20 = 28.
    assert!(
        r.stdout.contains("score = segment 2 × 1000 + must-haves 300 + points 28 = 2328"),
        "{}",
        r.stdout
    );
    assert_eq!(run(&["explain", SAAS, LEADS, "--row", "9999"]).code, 3);
    assert_eq!(run(&["explain", SAAS, LEADS]).code, 2);
}

#[test]
fn compiled_programs_score_like_their_source() {
    let dir = temp_dir();
    let compiled = dir.path().join("saas.leadc");
    let c = run(&["compile", SAAS, "-o", compiled.to_str().unwrap()]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let from_source = run(&["score", SAAS, LEADS, "--keep", "id", "-q"]);
    let from_compiled = run(&["score", compiled.to_str().unwrap(), LEADS, "--keep", "id", "-q"]);
    assert_eq!(from_compiled.code, 0, "{}", from_compiled.stderr);
    assert_eq!(from_source.stdout, from_compiled.stdout);

    // A damaged file is refused with a clear message, not a panic.
    let mut bytes = std::fs::read(&compiled).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x5a;
    std::fs::write(&compiled, &bytes).unwrap();
    let bad = run(&["score", compiled.to_str().unwrap(), LEADS]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("is not a valid compiled program"), "{}", bad.stderr);
}

#[test]
fn compile_disasm_without_writing() {
    let r = run(&["compile", SAAS, "--disasm", "--no-write"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().count() > 30);
    assert!(!Path::new("examples/saas/saas.leadc").exists());
}

#[test]
fn bad_ndjson_rows_are_marked_with_their_line() {
    let input = "{\"id\": 1, \"age\": 30}\nnot json\n\n[1]\n{\"id\": 4, \"age\": \"old\"}\n";
    let r = run_with(
        leadc().args(["score", SAAS, "--input-format", "ndjson", "--keep", "id", "-q"]).write_stdin(input),
    );
    assert_eq!(r.code, 3);
    let rows: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 4, "one output row per non-blank input line");
    assert!(rows[0]["error"].is_null() && rows[0]["score"].is_i64());
    assert_eq!(rows[1]["error"], "invalid JSON at column 2: expected ident");
    assert_eq!(rows[2]["error"], "a lead must be a JSON object");
    assert_eq!(rows[3]["id"], 4);
    assert_eq!(rows[3]["error"], "field `age`: `old` is not an integer");
    insta::assert_snapshot!(r.stderr);
}

/// Every command that writes its result to stdout, with a program that has
/// errors (its JSON diagnostics go to stdout too) in `dir`.
/// `leadc` as a plain process, for the tests that choose its stdout or stderr
/// (`run_std` captures only the streams left unset).
#[cfg(target_os = "linux")]
fn leadc_std() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_leadc"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1").env("RUST_BACKTRACE", "1");
    cmd
}

#[cfg(target_os = "linux")]
fn run_std(cmd: &mut std::process::Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[cfg(target_os = "linux")]
fn stdout_commands(dir: &Path) -> Vec<Vec<String>> {
    let broken = saas_variant(dir, |s| s.replace("fit title = \"VP\" ", "fit titel = \"VP\" "));
    let broken = broken.to_str().unwrap();
    let review = |format: &str| {
        format!("review {SAAS} examples/saas/history.csv --outcome converted --format {format}")
    };
    [
        format!("compile {SAAS} --disasm --no-write"),
        format!("lint {SAAS} --report"),
        format!("lint {SAAS} --report --format json"),
        format!("check {broken} --format json"),
        format!("explain {SAAS} --lead {{}}"),
        format!("explain {SAAS} --lead {{}} --format json"),
        format!("explain {SAAS} {LEADS} --row 3"),
        review("human"),
        review("json"),
        review("html"),
        format!("score {SAAS} {LEADS} -q"),
        "--help".to_string(),
    ]
    .iter()
    .map(|c| c.split(' ').map(String::from).collect())
    .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn stdout_on_a_full_disk_is_an_io_error_not_a_panic() {
    let dir = temp_dir();
    for args in stdout_commands(dir.path()) {
        let full = std::fs::File::create("/dev/full").unwrap();
        let r = run_std(leadc_std().args(&args).stdout(full));
        let command = args.join(" ");
        assert_eq!(r.code, 4, "`leadc {command}` > /dev/full: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "`leadc {command}`: {}", r.stderr);
        assert!(r.stderr.contains("No space left on device"), "`leadc {command}` says why: {}", r.stderr);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_closed_stdout_pipe_is_exit_4_without_a_message() {
    let dir = temp_dir();
    for args in stdout_commands(dir.path()) {
        // The reader is gone before leadc starts: every write fails with EPIPE.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let r = run_std(leadc_std().args(&args).stdout(writer));
        let command = args.join(" ");
        assert_eq!(r.code, 4, "`leadc {command} | head -0`: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "`leadc {command}`: {}", r.stderr);
        // The reader stopped on purpose (`| head`): no error for that.
        assert!(!r.stderr.contains("error"), "`leadc {command}`: {}", r.stderr);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn stderr_that_cannot_be_written_keeps_the_exit_code() {
    let dir = temp_dir();
    let bad = write(dir.path(), "bad.csv", "id,age\n1,forty\n2,fifty\n3,30\n");
    let bad = bad.to_str().unwrap();
    let compiled = dir.path().join("saas.leadc");
    let compiled = compiled.to_str().unwrap();
    let cases: [(&[&str], i32); 4] = [
        (&["score", SAAS, bad, "-o", "/dev/null"], 3),
        (&["score", SAAS, LEADS, "-o", "/dev/null"], 0),
        (&["compile", SAAS, "-o", compiled], 0),
        (&["check", "no/such/file.lead"], 4),
    ];
    for (args, code) in cases {
        let command = args.join(" ");
        let full = std::fs::File::create("/dev/full").unwrap();
        let r = run_std(leadc_std().args(args).stderr(full));
        assert_eq!(r.code, code, "`leadc {command}` 2> /dev/full");
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let r = run_std(leadc_std().args(args).stderr(writer));
        assert_eq!(r.code, code, "`leadc {command}` with stderr a closed pipe");
    }
    assert!(Path::new(compiled).exists(), "compile wrote its file although it could not say so");
}

#[test]
fn threads_out_of_range_are_usage_errors() {
    for (threads, says) in [
        ("0", "leave out --threads to use every core"),
        ("1025", "at most 1024 threads"),
        ("4611686018427387904", "at most 1024 threads"),
        ("100000000", "at most 1024 threads"),
        ("many", "`many` is not a number of threads"),
    ] {
        let r = run(&["score", SAAS, LEADS, "--threads", threads, "-o", "/dev/null"]);
        assert_eq!(r.code, 2, "--threads {threads}: {}", r.stderr);
        assert!(r.stderr.contains(says), "--threads {threads}: {}", r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    let r = run(&["score", SAAS, LEADS, "--threads", "1024", "-q"]);
    assert_eq!(r.code, 0, "the bound itself is accepted: {}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 301);
}

#[test]
fn explain_row_0_is_a_usage_error() {
    let r = run(&["explain", SAAS, LEADS, "--row", "0"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("rows are numbered from 1"), "{}", r.stderr);
    assert!(!r.stderr.contains("fewer than 0"), "{}", r.stderr);
    assert_eq!(run(&["explain", SAAS, LEADS, "--row", "1"]).code, 0);
}

#[test]
fn every_bad_inline_lead_exits_3() {
    for (lead, says) in [
        ("{", "`--lead`: invalid JSON at column 1: EOF while parsing an object"),
        (r#"{"age": 40, "age": 41}"#, "`--lead`: the key `age` appears twice; keep one"),
        ("[]", "`--lead`: a lead must be a JSON object"),
        ("42", "`--lead`: a lead must be a JSON object"),
        (r#"{"age": "old"}"#, "`age`"),
        (r#"{"agee": 40}"#, "unknown field or behaviour `agee` (did you mean `age`?)"),
        (r#"{"behaviours": {"demo_requst": 1}}"#, "`demo_requst` (did you mean `demo_request`?)"),
        (r#"{"id": 7, "age": 40}"#, "unknown field or behaviour `id`"),
    ] {
        let r = run(&["explain", SAAS, "--lead", lead]);
        assert_eq!(r.code, 3, "--lead {lead}: {}", r.stderr);
        assert!(r.stderr.contains(says), "--lead {lead}: {}", r.stderr);
    }
    // A file's extra keys (an `id`) are still ignored, as in `score`.
    let dir = temp_dir();
    let leads = write(dir.path(), "leads.ndjson", "{\"id\": 7, \"age\": 40}\n");
    let r = run(&["explain", SAAS, leads.to_str().unwrap(), "--row", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_too_deeply_dotted_schema_key_is_located() {
    let dir = temp_dir();
    let program = saas_variant(dir.path(), |s| s);
    let key = format!("a{}", ".a".repeat(80));
    let schema = write(dir.path(), "deep.toml", &format!("[fields]\n{key} = \"int\"\n"));
    let r = run(&["check", program.to_str().unwrap(), "--schema", schema.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("invalid schema file: recursion limit"), "{}", r.stderr);
    assert!(r.stderr.contains("deep.toml:2:1"), "file:line:col: {}", r.stderr);
    assert!(r.stderr.contains("a key of 81 dotted parts"), "{}", r.stderr);
}

/// Rewrites a compiled file's header checksum to match its (damaged) body,
/// so that the decoder and verifier see the damage.
fn reseal(bytes: &mut [u8]) {
    let sum = leadc::compile::fnv1a(&bytes[16..]).to_le_bytes();
    bytes[8..12].copy_from_slice(&sum);
}

/// The first single-byte change to `bytes` (resealed) that fails to load
/// with `code`.
fn first_damage_with(bytes: &[u8], code: &str) -> Vec<u8> {
    (16..bytes.len())
        .flat_map(|i| [0x01u8, 0x80, 0xFF].map(|mask| (i, mask)))
        .map(|(i, mask)| {
            let mut bad = bytes.to_vec();
            bad[i] ^= mask;
            reseal(&mut bad);
            bad
        })
        .find(|bad| leadc::Program::from_bytes(bad).is_err_and(|e| e.code() == code))
        .expect("some single-byte change fails with this code")
}

#[test]
fn every_compiled_file_error_has_its_code_and_exits_1() {
    let dir = temp_dir();
    let good = leadc::load(SAAS).unwrap().to_bytes();
    let mut version = good.clone();
    version[6] = 9;
    let mut checksum = good.clone();
    *checksum.last_mut().unwrap() ^= 1;
    let mut longer = good.clone();
    longer.push(0);
    reseal(&mut longer);
    let cases: [(&str, Vec<u8>); 7] = [
        ("magic", b"# a source file renamed\n".to_vec()),
        ("version", version),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("checksum", checksum),
        ("malformed", longer),
        ("schema", first_damage_with(&good, "E0906")),
        ("verify", first_damage_with(&good, "E0907")),
    ];
    let mut all = String::new();
    for (name, bytes) in cases {
        let path = dir.path().join(format!("{name}.leadc"));
        std::fs::write(&path, bytes).unwrap();
        let r = run(&["score", path.to_str().unwrap(), LEADS]);
        assert_eq!(r.code, 1, "{name}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{name}: {}", r.stdout);
        all.push_str(&r.stderr.replace(dir.path().to_str().unwrap(), "<dir>"));
    }
    insta::assert_snapshot!(all);
}
