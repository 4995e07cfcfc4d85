//! `leadc._leadc`: the Rust half of the Python package.
//!
//! In: program paths or text, Arrow tables (through the Arrow PyCapsule
//! stream interface, so pyarrow, polars and pandas hand their buffers over
//! without a copy), leads as JSON text, and history files as bytes. Out:
//! compiled [`Program`]s, scored Arrow tables, explanations, diagnostics as
//! Python objects, and review and fit reports as JSON text. The Python
//! half (`python/leadc/__init__.py`) turns DataFrames into Arrow tables and
//! JSON into DataFrames; everything about scoring is the leadc library's.

mod history;

use arrow_pyarrow::{PyArrowType, Table};
use leadc::diag::{Diagnostic as Diag, Sources};
use leadc::input::{JsonObject, UnknownColumns};
use leadc::load::{LoadFailure, load_with};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use std::path::Path;
use std::sync::Arc;

pyo3::create_exception!(_leadc, LeadcError, PyException, "Anything leadc refuses: the base of its errors.");
pyo3::create_exception!(
    _leadc,
    CompileError,
    LeadcError,
    "A program that does not parse or check; `diagnostics` lists what is wrong, where."
);
pyo3::create_exception!(
    _leadc,
    DataError,
    LeadcError,
    "Data that cannot be read at all (a column of the wrong type, two columns for one field, a history without its outcome column)."
);

/// One finding about a program: an error or a lint, located.
#[pyclass(frozen, get_all, skip_from_py_object, module = "leadc")]
#[derive(Clone)]
struct Diagnostic {
    /// `E0201`, `L0003`.
    code: String,
    /// The lint's name (`only-fit`), for lints.
    lint: Option<String>,
    /// `error`, `warning` or `note`.
    severity: String,
    /// What is wrong.
    message: String,
    /// The file the diagnostic points into.
    file: Option<String>,
    /// The 1-based line of its primary span.
    line: Option<u64>,
    /// The 1-based column of its primary span.
    column: Option<u64>,
    /// Where the primary span ends.
    end_line: Option<u64>,
    /// Where the primary span ends.
    end_column: Option<u64>,
    /// How to fix it.
    help: Option<String>,
    /// More about it.
    notes: Vec<String>,
    /// The rustc-style text `leadc check` prints.
    rendered: String,
}

#[pymethods]
impl Diagnostic {
    fn __str__(&self) -> String {
        self.rendered.clone()
    }

    fn __repr__(&self) -> String {
        let at = match (&self.file, self.line, self.column) {
            (Some(f), Some(l), Some(c)) => format!(" at {f}:{l}:{c}"),
            _ => String::new(),
        };
        format!("<Diagnostic {} {}{at}: {}>", self.severity, self.code, self.message)
    }
}

impl Diagnostic {
    fn new(d: &Diag, sources: &Sources) -> Diagnostic {
        let json = d.to_json(sources);
        let text = |key: &str| json[key].as_str().map(str::to_string);
        let first = &json["labels"][0];
        Diagnostic {
            code: d.code.clone(),
            lint: d.lint.clone(),
            severity: text("severity").unwrap_or_default(),
            message: d.message.clone(),
            file: text("file"),
            line: json["line"].as_u64(),
            column: json["column"].as_u64(),
            end_line: first["end_line"].as_u64(),
            end_column: first["end_column"].as_u64(),
            help: d.help.clone(),
            notes: d.notes.clone(),
            rendered: d.render(sources, false),
        }
    }
}

/// A `CompileError` (or `LeadcError`) for a program that could not be loaded.
fn load_error(py: Python<'_>, failure: LoadFailure) -> PyErr {
    let message = failure.to_string();
    match failure {
        LoadFailure::Diagnostics { diagnostics, sources } => {
            let err = CompileError::new_err(message.trim_end().to_string());
            let list: Vec<Diagnostic> = diagnostics.iter().map(|d| Diagnostic::new(d, &sources)).collect();
            if let Err(e) = err.value(py).setattr("diagnostics", list) {
                return e;
            }
            err
        }
        _ => LeadcError::new_err(message),
    }
}

/// A compiled, checked lead-scoring program.
#[pyclass(frozen, module = "leadc")]
struct Program {
    inner: Arc<leadc::Program>,
    /// The checked program, when loaded from source (review and fit need it).
    scorecard: Option<leadc::check::Scorecard>,
    /// The source text, when loaded from source.
    source: Option<String>,
    /// Its lints, found once at load.
    lints: Vec<Diagnostic>,
}

impl Program {
    fn from_parts(
        program: leadc::Program,
        scorecard: Option<leadc::check::Scorecard>,
        source: Option<String>,
        sources: &Sources,
        name: &str,
    ) -> Program {
        let lints = match (&scorecard, sources.find(name)) {
            (Some(card), Some(file)) => leadc::lint::lint(card, &Default::default(), file)
                .iter()
                .map(|d| Diagnostic::new(d, sources))
                .collect(),
            _ => Vec::new(),
        };
        Program { inner: Arc::new(program), scorecard, source, lints }
    }
}

#[pymethods]
impl Program {
    /// Scores every row of an Arrow table (any object with
    /// `__arrow_c_stream__`), returning a pyarrow Table of the columns
    /// `leadc score` writes, one row per input row.
    #[pyo3(signature = (table, mapping, as_of))]
    fn score_arrow(
        &self,
        py: Python<'_>,
        table: PyArrowType<Table>,
        mapping: Vec<(String, String)>,
        as_of: Option<i64>,
    ) -> PyResult<PyArrowType<Table>> {
        let (batches, _) = table.0.into_inner();
        let program = Arc::clone(&self.inner);
        let as_of = self.instant(as_of);
        let scored = py.detach(move || {
            let mut scorer = program.scorer();
            batches
                .iter()
                .map(|batch| leadc::scored::score_record_batch(&mut scorer, batch, &mapping, as_of))
                .collect::<Result<Vec<_>, _>>()
                .map(|batches| (batches, leadc::scored::outcome_schema(&program)))
        });
        let (batches, schema) = scored.map_err(|e| DataError::new_err(e.to_string()))?;
        let table = Table::try_new(batches, schema).map_err(|e| LeadcError::new_err(e.to_string()))?;
        Ok(PyArrowType(table))
    }

    /// For `python/bench/score.py`: the median seconds, over `runs` runs,
    /// in Rust on the table's own buffers, of the evaluation alone
    /// (`Scorer::score_arrow` on leads read beforehand), of the batch
    /// engine as a Rust caller uses it (`ArrowLeads` read from the record
    /// batches, then `score_arrow`, the outcomes buffer reused), and of
    /// `leadc::scored::score_record_batch` (that, and the outcome
    /// columns): the baselines the Python call is measured against.
    fn time_in_rust(
        &self,
        py: Python<'_>,
        table: PyArrowType<Table>,
        runs: usize,
    ) -> PyResult<(f64, f64, f64)> {
        let (batches, _) = table.0.into_inner();
        let program = Arc::clone(&self.inner);
        py.detach(move || {
            let schema = program.schema();
            let leads = batches
                .iter()
                .map(|b| leadc::ArrowLeads::with_mapping(schema, b, UnknownColumns::Ignore, &[]))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| DataError::new_err(e.to_string()))?;
            let mut scorer = program.scorer();
            let mut outcomes = leadc::Outcomes::default();
            let engine = median(runs, || {
                for b in &batches {
                    if let Ok(l) = leadc::ArrowLeads::with_mapping(schema, b, UnknownColumns::Ignore, &[]) {
                        let _ = scorer.score_arrow(&l, &mut outcomes);
                    }
                }
            });
            let evaluate = median(runs, || {
                for l in &leads {
                    let _ = scorer.score_arrow(l, &mut outcomes);
                }
            });
            let whole = median(runs, || {
                for b in &batches {
                    let _ = leadc::scored::score_record_batch(&mut scorer, b, &[], None);
                }
            });
            Ok((evaluate, engine, whole))
        })
    }

    /// One lead (a JSON object, as `leadc explain --lead` takes) explained:
    /// the JSON of `leadc explain --format json`, or its table.
    #[pyo3(signature = (lead, as_of, text))]
    fn explain(&self, lead: &str, as_of: Option<i64>, text: bool) -> PyResult<String> {
        let program = &self.inner;
        let object = JsonObject::parse(lead).map_err(|e| DataError::new_err(format!("the lead: {e}")))?;
        let mut filled = program.new_lead();
        filled
            .fill_json_object(program.schema(), &object, UnknownColumns::Error)
            .map_err(|e| DataError::new_err(format!("the lead: {e}")))?;
        let at = self.instant(as_of);
        let (outcome, explanation) = match at {
            Some(t) => program.explain_at(&filled, t),
            None => program.explain(&filled),
        };
        let origin = match at {
            Some(t) if program.is_timed() => {
                format!("the lead given, as of {}", leadc::time::format_instant(t))
            }
            _ => "the lead given".to_string(),
        };
        if text {
            return Ok(leadc::explain::render_text(program, &filled, &origin, &outcome, &explanation));
        }
        let mut json = leadc::explain::to_json(program, &filled, &origin, &outcome, &explanation);
        if let (Some(t), true) = (at, program.is_timed()) {
            json["as_of"] = leadc::time::format_instant(t).into();
        }
        Ok(json.to_string())
    }

    /// The program's lints (it has no errors: it compiled).
    fn check(&self) -> Vec<Diagnostic> {
        self.lints.clone()
    }

    /// The source text, when loaded from source.
    #[getter]
    fn source(&self) -> Option<String> {
        self.source.clone()
    }

    /// The tiers' names, in the program's order.
    #[getter]
    fn tiers(&self) -> Vec<String> {
        self.inner.tiers().iter().map(|t| t.name.clone()).collect()
    }

    /// The categories' names, in the program's order.
    #[getter]
    fn categories(&self) -> Vec<String> {
        self.inner.category_names().map(str::to_string).collect()
    }

    /// The schema's fields as (name, type) pairs.
    #[getter]
    fn fields(&self) -> Vec<(String, String)> {
        use leadc::schema::FieldType;
        let kind = |t: &FieldType| match t {
            FieldType::String => "string",
            FieldType::Int => "int",
            FieldType::Number => "number",
            FieldType::Bool => "bool",
            FieldType::Enum(_) => "enum",
        };
        self.inner.schema().fields().iter().map(|f| (f.name.clone(), kind(&f.ty).to_string())).collect()
    }

    /// The schema's behaviours.
    #[getter]
    fn behaviours(&self) -> Vec<String> {
        self.inner.schema().behaviours().to_vec()
    }

    /// Whether some rule depends on when it is scored (`within`, `decay`, `expire`).
    #[getter]
    fn is_timed(&self) -> bool {
        self.inner.is_timed()
    }

    /// The compiled form, as `leadc compile` writes it.
    fn to_bytes(&self) -> Vec<u8> {
        self.inner.to_bytes()
    }

    fn __repr__(&self) -> String {
        format!(
            "<leadc.Program: {} must-haves, {} rules in {} categories, {} tiers>",
            self.inner.requires().len(),
            self.inner.rules().len(),
            self.inner.categories().len(),
            self.inner.tiers().len()
        )
    }
}

impl Program {
    /// The instant to score as of: the one given, now for a timed program,
    /// else none (timeless), as `leadc score` chooses.
    fn instant(&self, as_of: Option<i64>) -> Option<i64> {
        as_of.or_else(|| self.inner.is_timed().then(now))
    }
}

/// The median wall time of `runs` calls of `f`, in seconds.
fn median(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|_| {
            let start = std::time::Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Loads a `.lead` program (checked against its schema) or a compiled file.
#[pyfunction]
#[pyo3(signature = (path, schema=None))]
fn load(py: Python<'_>, path: &str, schema: Option<&str>) -> PyResult<Program> {
    let loaded = load_with(Path::new(path), schema.map(Path::new)).map_err(|f| load_error(py, f))?;
    // The text as checked (without a byte-order mark), read once.
    let source =
        loaded.scorecard.as_ref().and(loaded.sources.find(path)).map(|f| loaded.sources.text(f).to_string());
    Ok(Program::from_parts(loaded.program, loaded.scorecard, source, &loaded.sources, path))
}

/// Compiles program text against schema TOML text.
#[pyfunction]
fn compile(py: Python<'_>, source: &str, schema: &str) -> PyResult<Program> {
    let loaded = leadc::load::compile_with(source, schema).map_err(|f| load_error(py, f))?;
    let source = source.trim_start_matches('\u{feff}').to_string();
    Ok(Program::from_parts(loaded.program, loaded.scorecard, Some(source), &loaded.sources, "program.lead"))
}

/// Every diagnostic of a program file — errors and lints — without raising.
#[pyfunction]
#[pyo3(signature = (path, schema=None))]
fn check(py: Python<'_>, path: &str, schema: Option<&str>) -> PyResult<Vec<Diagnostic>> {
    match load_with(Path::new(path), schema.map(Path::new)) {
        Ok(loaded) => {
            Ok(Program::from_parts(loaded.program, loaded.scorecard, None, &loaded.sources, path).lints)
        }
        Err(LoadFailure::Diagnostics { diagnostics, sources }) => {
            Ok(diagnostics.iter().map(|d| Diagnostic::new(d, &sources)).collect())
        }
        Err(other) => Err(load_error(py, other)),
    }
}

/// Reads an instant: a date, an RFC 3339 timestamp (UTC), as seconds since
/// the Unix epoch.
#[pyfunction]
fn parse_instant(text: &str) -> PyResult<i64> {
    leadc::time::parse_instant(text.trim()).map_err(|e| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "`{text}`: {e}; give a date such as `2026-11-01` or a timestamp such as `2026-11-01T10:00:00Z`"
        ))
    })
}

#[pymodule]
fn _leadc(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("LeadcError", py.get_type::<LeadcError>())?;
    m.add("CompileError", py.get_type::<CompileError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    m.add_class::<Program>()?;
    m.add_class::<Diagnostic>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(parse_instant, m)?)?;
    m.add_function(wrap_pyfunction!(history::review, m)?)?;
    m.add_function(wrap_pyfunction!(history::fit, m)?)?;
    Ok(())
}
