//! Running queries on DuckDB and on Spark through their Python packages.
//!
//! In: cases (tables, a query, parameters). Out: per case, the result's
//! columns and rows as JSON values, or the engine's error. DuckDB's wheel
//! lives in `target/duckdb-venv` (`tests/sql/requirements.txt`), PySpark in
//! `target/spark-venv` (`tests/sql/spark-requirements.txt`; Spark also needs
//! Java 17); each venv is made with `python3 -m venv` and `pip install -r`
//! when missing, as `.ci/run` does first. `LEADC_DUCKDB_PYTHON` and
//! `LEADC_SPARK_PYTHON` name other Pythons that have them.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// An engine the queries run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// DuckDB, in process.
    DuckDb,
    /// Apache Spark in local mode.
    Spark,
}

impl Engine {
    fn venv(self) -> &'static str {
        match self {
            Engine::DuckDb => "target/duckdb-venv",
            Engine::Spark => "target/spark-venv",
        }
    }

    fn requirements(self) -> &'static str {
        match self {
            Engine::DuckDb => "tests/sql/requirements.txt",
            Engine::Spark => "tests/sql/spark-requirements.txt",
        }
    }

    fn runner(self) -> &'static str {
        match self {
            Engine::DuckDb => "tests/sql/duckdb_run.py",
            Engine::Spark => "tests/sql/spark_run.py",
        }
    }

    fn python_variable(self) -> &'static str {
        match self {
            Engine::DuckDb => "LEADC_DUCKDB_PYTHON",
            Engine::Spark => "LEADC_SPARK_PYTHON",
        }
    }

    fn module(self) -> &'static str {
        match self {
            Engine::DuckDb => "duckdb",
            Engine::Spark => "pyspark",
        }
    }
}

/// A table read from a CSV file, the named columns of these types (the
/// others as text).
#[derive(Debug, Clone, serde::Serialize)]
pub struct CsvTable {
    /// The table's name.
    pub name: String,
    /// The file.
    pub path: String,
    /// Typed columns: name and type, as in [`crate::tables::Table`].
    pub columns: Vec<(String, &'static str)>,
}

/// One query to run on a fresh database.
pub struct Case {
    /// Tables to create first.
    pub tables: Vec<crate::tables::Table>,
    /// Tables to read from CSV files.
    pub csv: Vec<CsvTable>,
    /// Statements run first, after the tables (DuckDB only).
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

fn imports(python: &Path, module: &str) -> bool {
    Command::new(python).args(["-c", &format!("import {module}")]).output().is_ok_and(|o| o.status.success())
}

/// A Python that imports the engine's package, its venv made on first use.
fn python(engine: Engine) -> PathBuf {
    static DUCKDB: OnceLock<PathBuf> = OnceLock::new();
    static SPARK: OnceLock<PathBuf> = OnceLock::new();
    let cell = if engine == Engine::DuckDb { &DUCKDB } else { &SPARK };
    cell.get_or_init(|| {
        if let Some(p) = std::env::var_os(engine.python_variable()) {
            return PathBuf::from(p);
        }
        let venv = root().join(engine.venv());
        let python = venv.join("bin/python");
        if !imports(&python, engine.module()) {
            let made = Command::new("python3").arg("-m").arg("venv").arg(&venv).status();
            assert!(
                made.is_ok_and(|s| s.success()),
                "cannot make a venv at {}: is python3 installed?",
                venv.display()
            );
            let requirements = root().join(engine.requirements());
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
    .clone()
}

/// Runs every case on `engine`, each on fresh tables.
pub fn run(engine: Engine, cases: &[Case]) -> Vec<Result<Output, String>> {
    let dir = tempfile::tempdir().unwrap();
    let job: Vec<Value> = cases
        .iter()
        .map(|c| json!({"tables": c.tables, "csv": c.csv, "setup": c.setup, "query": c.query, "params": c.params}))
        .collect();
    let (job_path, out_path) = (dir.path().join("job.json"), dir.path().join("out.json"));
    std::fs::write(&job_path, serde_json::to_vec(&job).unwrap()).unwrap();
    let status = Command::new(python(engine))
        .arg(root().join(engine.runner()))
        .arg(&job_path)
        .arg(&out_path)
        .status()
        .unwrap();
    assert!(status.success(), "the {engine:?} runner failed");
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
