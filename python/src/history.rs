//! `review` and `fit` on an outcome history handed over as CSV or NDJSON
//! bytes: the same reading, analysis and fitting as `leadc review` and
//! `leadc fit`, their reports as JSON text.

use crate::{DataError, LeadcError, Program, load_error};
use leadc::input::{CsvLayout, UnknownColumns};
use leadc::load::{LoadFailure, SchemaSource, check_source};
use leadc::review::{AsOf, History, Model, Outcomes, Reader};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// How the history's rows are read (`OutcomeArgs` of the CLI).
struct Reading<'a> {
    outcome: &'a str,
    outcomes: Outcomes,
    mapping: &'a [(String, String)],
    id: Option<&'a str>,
    as_of: AsOf,
}

fn read(program: &leadc::Program, history: &[u8], format: &str, how: Reading<'_>) -> PyResult<History> {
    let Reading { outcome, outcomes, mapping, id, as_of } = how;
    let result = match format {
        "csv" => leadc::review::read_csv(history, |header| {
            let layout = CsvLayout::with_mapping(program.schema(), header, UnknownColumns::Ignore, mapping)
                .map_err(|e| format!("the history's header: {e}"))?;
            Reader::csv_with_layout(program, header, layout, outcome, id)?
                .with_as_of(as_of, header)
                .map(|r| r.with_outcomes(outcomes))
        }),
        "ndjson" => Reader::ndjson(program, outcome, id)
            .with_as_of(as_of, &[])
            .and_then(|r| leadc::review::read_ndjson(history, r.with_outcomes(outcomes))),
        other => {
            return Err(PyValueError::new_err(format!("history format `{other}`: expected csv or ndjson")));
        }
    };
    result.map_err(DataError::new_err)
}

fn as_of(at: Option<i64>, column: Option<String>) -> AsOf {
    match (column, at) {
        (Some(c), _) => AsOf::Column(c),
        (None, Some(t)) => AsOf::At(t),
        (None, None) => AsOf::Timeless,
    }
}

fn needs_source<'p>(program: &'p Program, what: &str) -> PyResult<(&'p leadc::check::Scorecard, &'p str)> {
    match (&program.scorecard, &program.source) {
        (Some(card), Some(source)) => Ok((card, source)),
        _ => Err(LeadcError::new_err(format!(
            "{what} needs the program's source (`.lead`), not a compiled file: it reads which fields each rule uses"
        ))),
    }
}

/// `leadc review`: the report as JSON, the HTML page, and how many rows
/// had bad data.
#[pyfunction]
#[pyo3(signature = (program, history, format, outcome, won, lost, open, mapping, id, at, at_column, cases, title))]
#[allow(clippy::too_many_arguments)]
pub fn review(
    py: Python<'_>,
    program: &Program,
    history: &[u8],
    format: &str,
    outcome: &str,
    won: Vec<String>,
    lost: Vec<String>,
    open: Vec<String>,
    mapping: Vec<(String, String)>,
    id: Option<&str>,
    at: Option<i64>,
    at_column: Option<String>,
    cases: usize,
    title: &str,
) -> PyResult<(String, String)> {
    let (card, source) = needs_source(program, "review")?;
    let outcomes = Outcomes::new(&won, &lost, &open).map_err(PyValueError::new_err)?;
    let how = Reading { outcome, outcomes, mapping: &mapping, id, as_of: as_of(at, at_column) };
    let history = read(&program.inner, history, format, how)?;
    py.detach(|| {
        let model = Model::from_scorecard(card, Some(source));
        let report =
            leadc::review::analyse(&model, &history, &leadc::review::Options { cases, ..Default::default() });
        let json = serde_json::to_string(&report).map_err(|e| LeadcError::new_err(e.to_string()))?;
        Ok((json, leadc::review::render_html(&report, title)))
    })
}

/// `leadc fit`: the fit as JSON (with `bad_rows`), and the fitted program.
#[pyfunction]
#[pyo3(signature = (program, history, format, outcome, won, lost, open, mapping, at, at_column, folds, allow_flip, seed, grow, into))]
#[allow(clippy::too_many_arguments)]
pub fn fit(
    py: Python<'_>,
    program: &Program,
    history: &[u8],
    format: &str,
    outcome: &str,
    won: Vec<String>,
    lost: Vec<String>,
    open: Vec<String>,
    mapping: Vec<(String, String)>,
    at: Option<i64>,
    at_column: Option<String>,
    folds: usize,
    allow_flip: bool,
    seed: u64,
    grow: usize,
    into: Option<String>,
) -> PyResult<(String, Program)> {
    let (card, source) = needs_source(program, "fit")?;
    if folds < 2 {
        return Err(PyValueError::new_err(format!("folds={folds}: cross-validation needs at least 2 folds")));
    }
    let outcomes = Outcomes::new(&won, &lost, &open).map_err(PyValueError::new_err)?;
    let how = Reading { outcome, outcomes, mapping: &mapping, id: None, as_of: as_of(at, at_column) };
    let history = read(&program.inner, history, format, how)?;
    let options = leadc::fit::FitOptions { folds, allow_flip, seed, grow, into };
    let fitted = py
        .detach(|| leadc::fit::fit(card, source, &history.rows, &options))
        .map_err(|e| LeadcError::new_err(e.to_string()))?;
    let mut sources = leadc::diag::Sources::new();
    let schema = SchemaSource::Given(program.inner.schema_arc().clone());
    let card = check_source(&mut sources, "fitted.lead", &fitted.source, schema).map_err(|diagnostics| {
        load_error(py, LoadFailure::Diagnostics { diagnostics, sources: sources.clone() })
    })?;
    let compiled = leadc::Program::compile_with_source(&card, &fitted.source);
    let new = Program::from_parts(compiled, Some(card), Some(fitted.source.clone()), &sources, "fitted.lead");
    let mut json = serde_json::to_value(&fitted).map_err(|e| LeadcError::new_err(e.to_string()))?;
    json["bad_rows"] = history.errors.len().into();
    json["lints"] = new.lints.iter().map(|d| d.rendered.clone()).collect::<Vec<_>>().into();
    Ok((json.to_string(), new))
}
