//! `ignore_case` string fields end to end: the saas leads with their text
//! in mixed case score, through a schema that ignores case, exactly as the
//! example's own leads do — rows, explanations and all — and without it
//! they do not.

use crate::commands::run;

#[path = "../common/mixed_case.rs"]
mod mixed_case;

#[test]
fn mixed_case_text_scores_as_written_when_the_schema_ignores_case() {
    let dir = tempfile::tempdir().unwrap();
    let (schema, leads) = mixed_case::write(dir.path());
    let (schema, leads) = (schema.to_str().unwrap(), leads.to_str().unwrap());
    let saas = "examples/saas/saas.lead";
    // The batch engine scores without `--explain`, the row VM with it.
    for explain in [false, true] {
        let keep = [&["--keep", "id", "-q"][..], if explain { &["--explain"][..] } else { &[][..] }].concat();
        let expected = run(&[&["score", saas, "examples/saas/leads.csv"][..], &keep].concat());
        assert_eq!(expected.code, 0, "{}", expected.stderr);
        for threads in ["1", "2"] {
            let args = ["score", saas, leads, "--schema", schema, "--threads", threads];
            let got = run(&[&args[..], &keep].concat());
            assert_eq!(got.code, 0, "{}", got.stderr);
            assert_eq!(got.stdout, expected.stdout, "--threads {threads}, --explain: {explain}");
        }
    }
    let keep = ["--keep", "id", "--explain", "-q"];
    let expected = run(&[&["score", saas, "examples/saas/leads.csv"][..], &keep].concat());
    // Case-sensitive, the same file scores otherwise.
    let plain = run(&[&["score", saas, leads][..], &keep].concat());
    assert_ne!(plain.stdout, expected.stdout);
    // A compiled program keeps the schema's `ignore_case`.
    let compiled = dir.path().join("saas.leadc");
    let compiled = compiled.to_str().unwrap();
    let c = run(&["compile", saas, "--schema", schema, "-o", compiled]);
    assert_eq!(c.code, 0, "{}", c.stderr);
    let got = run(&[&["score", compiled, leads][..], &keep].concat());
    assert_eq!(got.stdout, expected.stdout, "the compiled program");
}
