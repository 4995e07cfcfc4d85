//! Running queries on DuckDB through its Python wheel.
//!
//! In: cases (setup statements, a query, parameters). Out: per case, the
//! result's columns and rows as JSON values, or DuckDB's error. The wheel
//! lives in `target/duckdb-venv` (made with `python3 -m venv` and `pip
//! install -r tests/sql/requirements.txt` when missing, as `.ci/run` does
//! first); `LEADC_DUCKDB_PYTHON` names another Python that has it.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// One query to run on a fresh database.
pub struct Case {
    /// Statements run first (`CREATE TABLE`, `INSERT`).
    pub setup: Vec<String>,
    /// The query.
    pub query: String,
    /// Named parameters, if any.
    pub params: Option<Value>,
}

/// A query's result.
#[derive(Debug)]
pub struct Output {
    /// Column names, in order.
    pub columns: Vec<String>,
    /// Rows, each a value per column.
    pub rows: Vec<Vec<Value>>,
}

impl Output {
    /// The index of column `name`.
    pub fn column(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column `{name}` in {:?}", self.columns))
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn has_duckdb(python: &Path) -> bool {
    Command::new(python).args(["-c", "import duckdb"]).output().is_ok_and(|o| o.status.success())
}

/// A Python that imports `duckdb`, made on first use.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        if let Some(p) = std::env::var_os("LEADC_DUCKDB_PYTHON") {
            return PathBuf::from(p);
        }
        let venv = root().join("target/duckdb-venv");
        let python = venv.join("bin/python");
        if !has_duckdb(&python) {
            let made = Command::new("python3").arg("-m").arg("venv").arg(&venv).status();
            assert!(
                made.is_ok_and(|s| s.success()),
                "cannot make a venv at {}: is python3 installed?",
                venv.display()
            );
            let requirements = root().join("tests/sql/requirements.txt");
            let pip =
                Command::new(venv.join("bin/pip")).args(["install", "-q", "-r"]).arg(&requirements).status();
            assert!(
                pip.is_ok_and(|s| s.success()),
                "cannot install {} from PyPI into {}",
                requirements.display(),
                venv.display()
            );
        }
        python
    })
}

/// Runs every case, each on a fresh in-memory database.
pub fn run(cases: &[Case]) -> Vec<Result<Output, String>> {
    let dir = tempfile::tempdir().unwrap();
    let job: Vec<Value> =
        cases.iter().map(|c| json!({"setup": c.setup, "query": c.query, "params": c.params})).collect();
    let (job_path, out_path) = (dir.path().join("job.json"), dir.path().join("out.json"));
    std::fs::write(&job_path, serde_json::to_vec(&job).unwrap()).unwrap();
    let status = Command::new(python())
        .arg(root().join("tests/sql/duckdb_run.py"))
        .arg(&job_path)
        .arg(&out_path)
        .status()
        .unwrap();
    assert!(status.success(), "the DuckDB runner failed");
    let out: Vec<Value> = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    out.into_iter()
        .map(|o| match o.get("error") {
            Some(e) => Err(e.as_str().unwrap_or("?").to_string()),
            None => Ok(Output {
                columns: serde_json::from_value(o["columns"].clone()).unwrap(),
                rows: serde_json::from_value(o["rows"].clone()).unwrap(),
            }),
        })
        .collect()
}
