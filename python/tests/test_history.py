"""review and fit from Python: the CLI's figures, from a path or a DataFrame."""

import json

import pandas as pd
import polars as pl

import leadc
from conftest import EXAMPLES, run_cli

PROGRAM = EXAMPLES / "saas" / "saas.lead"
HISTORY = EXAMPLES / "saas" / "history.csv"


def test_review_reports_the_clis_figures(saas):
    cli = json.loads(run_cli("review", str(PROGRAM), str(HISTORY), "--outcome", "converted", "--format", "json"))
    review = leadc.review(saas, HISTORY, outcome="converted")
    assert review.report == cli
    assert 0.6 < review.auc < 0.8
    assert len(review.rules) == len(cli["rules"]) > 0
    assert review._repr_html_() == review.html and "<svg" in review.html


def test_review_of_a_dataframe_is_the_review_of_its_file(saas):
    from_path = leadc.review(saas, HISTORY, outcome="converted")
    for frame in (pd.read_csv(HISTORY), pl.read_csv(HISTORY)):
        from_frame = leadc.review(saas, frame, outcome="converted")
        assert from_frame.auc == from_path.auc
        assert from_frame.summary["rows"] == from_path.summary["rows"] == 3000


def test_review_counts_bad_history_rows():
    frame = pd.read_csv(HISTORY, dtype=str, keep_default_na=False).head(50)
    frame.loc[3, "converted"] = "maybe"
    review = leadc.review(PROGRAM, frame, outcome="converted")
    assert review.summary["rows"] == 49
    [error] = review.report["errors"]
    assert "maybe" in error["message"]


def test_fit_improves_the_cross_validated_auc_as_the_cli_does(saas):
    cli = json.loads(run_cli("fit", str(PROGRAM), str(HISTORY), "--outcome", "converted", "--format", "json"))
    fit = leadc.fit(saas, HISTORY, outcome="converted")
    assert fit.source == cli["source"]
    assert (fit.auc_before, fit.auc_after) == (cli["auc_before"], cli["auc_after"])
    assert fit.auc_after > fit.auc_before
    assert [r["new"] for r in fit.report["rules"]] == [r["new"] for r in cli["rules"]]
    # The fitted program is a program: it scores, and ranks the history better.
    history = pd.read_csv(HISTORY)
    assert fit.program.score(history)["score"].notna().all()
    assert "AUC" in fit._repr_html_()


def test_fit_grow_adds_rules(saas, tmp_path):
    fit = leadc.fit(saas, HISTORY, outcome="converted", grow=2)
    assert 1 <= len(fit.added) <= 2
    assert fit.program.source == fit.source
    path = tmp_path / "fitted.lead"
    fit.save(path)
    assert path.read_text() == fit.source


def test_fit_needs_two_folds(saas):
    import pytest

    with pytest.raises(ValueError, match="at least 2 folds"):
        leadc.fit(saas, HISTORY, outcome="converted", folds=1)


def test_review_names_a_missing_outcome_column(saas):
    import pytest

    with pytest.raises(leadc.DataError, match=r"no column `convertd` \(did you mean `converted`\?\)"):
        leadc.review(saas, HISTORY, outcome="convertd")


def test_a_hostile_history_file_reads_as_the_clean_one(saas, tmp_path):
    """A byte-order mark, CRLF or CR-only line ends and a quoted header
    give the review of the clean file."""
    clean = HISTORY.read_bytes()
    want = leadc.review(saas, HISTORY, outcome="converted").report["summary"]
    header, rest = clean.split(b"\n", 1)
    quoted = b",".join(b'"' + name + b'"' for name in header.split(b",")) + b"\n" + rest
    for name, data in [
        ("bom.csv", b"\xef\xbb\xbf" + clean),
        ("crlf.csv", clean.replace(b"\n", b"\r\n")),
        ("cr.csv", clean.replace(b"\n", b"\r")),
        ("quoted.csv", quoted),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        assert leadc.review(saas, path, outcome="converted").report["summary"] == want, name


def test_a_history_line_that_is_not_utf8_is_a_located_row_error(saas, tmp_path):
    lines = HISTORY.read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b"@", b"@\xff", 1)
    path = tmp_path / "latin1.csv"
    path.write_bytes(b"\n".join(lines))
    review = leadc.review(saas, path, outcome="converted")
    [error] = review.report["errors"]
    assert error["line"] == 6 and "not valid UTF-8" in error["message"], error
