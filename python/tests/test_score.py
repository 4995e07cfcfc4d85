"""Scoring DataFrames: the same scores as `leadc score`, for every input
kind, with missing values, events and bad rows."""

import datetime as dt
import threading

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv
import pytest

import leadc
from conftest import EXAMPLES, cli_scores, run_cli

SCORE_COLUMNS = ["score", "rank", "points", "tier", "qualified", "segment", "requires_met"]


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A pandas result written as `leadc score` writes CSV cells."""
    out = pd.DataFrame(index=range(len(frame)))
    for name in frame.columns:
        column = frame[name].reset_index(drop=True)
        out[name] = [
            "" if pd.isna(v) else str(bool(v)).lower() if isinstance(v, (bool, np.bool_)) else str(v)
            for v in column
        ]
    return out


@pytest.mark.parametrize(
    "program, leads, as_of, exit",
    [
        ("saas/saas.lead", "saas/leads.csv", None, 0),
        ("timed/timed.lead", "timed/leads.csv", "2026-12-01", 0),
        # Another program's leads: many rows have bad data (exit 3).
        ("segmented/segmented.lead", "saas/leads.csv", None, 3),
    ],
)
def test_scores_equal_the_cli_on_the_examples(program, leads, as_of, exit):
    extra = ["--as-of", as_of] if as_of else []
    expected = cli_scores(str(EXAMPLES / program), str(EXAMPLES / leads), "--keep", "id", *extra, ok=(exit,))
    p = leadc.load(EXAMPLES / program)
    frame = pd.read_csv(EXAMPLES / leads, dtype=str, keep_default_na=False)
    got = as_text(p.score(frame, keep=["id"], as_of=as_of))
    assert list(got.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(got, expected)


def test_pandas_polars_and_pyarrow_inputs_score_alike(saas):
    path = EXAMPLES / "saas" / "leads.csv"
    from_pandas = saas.score(pd.read_csv(path), keep=["id"])
    from_polars = saas.score(pl.read_csv(path), keep=["id"])
    table = pyarrow.csv.read_csv(path)
    from_arrow = saas.score(table, keep=["id"])
    assert isinstance(from_polars, pl.DataFrame) and isinstance(from_arrow, pa.Table)
    expected = as_text(from_pandas)
    pd.testing.assert_frame_equal(as_text(from_polars.to_pandas()), expected)
    pd.testing.assert_frame_equal(as_text(from_arrow.to_pandas()), expected)
    assert from_pandas["score"].sum() > 0


def test_typed_columns_score_as_their_text_does(saas):
    """Typed pandas columns (float ages with NaN, bools, ints) score as the
    CSV text they came from."""
    path = EXAMPLES / "saas" / "leads.csv"
    typed = pd.read_csv(path)  # floats with NaN, numpy bools, ints
    text = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert typed["age"].isna().any(), "the example should have missing ages"
    pd.testing.assert_frame_equal(as_text(saas.score(typed)), as_text(saas.score(text)))


def test_missing_values_are_missing_in_every_spelling(saas):
    """None, NaN, pandas NA, polars null and a blank string are all a
    missing value: the same scores as an absent column."""
    base = {"region": ["NA-West"] * 5, "department": ["IT"] * 5}
    spellings = pd.DataFrame({**base, "age": pd.array([None, np.nan, pd.NA, None, None], dtype=object)})
    blanks = pd.DataFrame({**base, "age": ["", " ", "", "  ", ""]})
    absent = pd.DataFrame(base)
    expected = as_text(saas.score(absent))
    pd.testing.assert_frame_equal(as_text(saas.score(spellings)), expected)
    pd.testing.assert_frame_equal(as_text(saas.score(blanks)), expected)
    nulls = pl.DataFrame({**base, "age": pl.Series([None] * 5, dtype=pl.Int64)})
    pd.testing.assert_frame_equal(as_text(saas.score(nulls).to_pandas()), expected)
    # And a present age does change the score: the test can fail.
    present = pd.DataFrame({**base, "age": [40] * 5})
    assert (saas.score(present)["score"] > saas.score(absent)["score"]).all()


def test_bad_rows_are_kept_with_the_clis_error(saas, tmp_path):
    rows = pd.DataFrame(
        {"id": ["1", "2", "3"], "region": ["Mars", "EMEA", "EMEA"], "age": ["40", "x", ""], "is_b2b": ["yes"] * 3}
    )
    path = tmp_path / "bad.csv"
    rows.to_csv(path, index=False)
    expected = cli_scores(str(EXAMPLES / "saas" / "saas.lead"), str(path), "--keep", "id", ok=(3,))
    got = saas.score(rows, keep=["id"])
    assert len(got) == 3
    assert got["score"].isna().tolist() == [True, True, False]
    assert got["error"][0] == "column `region`: `Mars` is not one of `NA-West`, `NA-East`, `EMEA`, `APAC`, `LATAM`"
    pd.testing.assert_frame_equal(as_text(got), expected)


def test_a_row_with_two_problems_lists_both(saas):
    got = saas.score(pd.DataFrame({"region": ["Mars"], "age": ["old"]}))
    assert got["error"][0] == (
        "column `region`: `Mars` is not one of `NA-West`, `NA-East`, `EMEA`, `APAC`, `LATAM`; "
        "column `age`: `old` is not an integer"
    )


def test_events_as_timestamp_lists_score_as_their_text():
    """The timed example's `;`-separated event cells and the same events as
    a list-of-timestamps column give the same scores."""
    timed = leadc.load(EXAMPLES / "timed" / "timed.lead")
    text = pd.read_csv(EXAMPLES / "timed" / "leads.csv", dtype=str, keep_default_na=False)

    def instants(cell):
        out = []
        for part in filter(None, cell.split(";")):
            part = part.strip().replace("Z", "+00:00")
            when = dt.datetime.fromisoformat(part if "T" in part else part + "T00:00:00+00:00")
            out.append(when.astimezone(dt.timezone.utc).replace(tzinfo=None))
        return out

    columns = {name: pa.array(text[name]) for name in ["id", "is_b2b", "demo_request"]}
    for name in ["web_visit", "pricing_page_view"]:
        columns[name] = pa.array([instants(c) for c in text[name]], type=pa.list_(pa.timestamp("us")))
    as_lists = pa.table(columns)
    at = dt.datetime(2026, 12, 1)
    got = timed.score(as_lists, as_of=at).to_pandas()
    expected = timed.score(text, as_of="2026-12-01")
    pd.testing.assert_frame_equal(as_text(got), as_text(expected))
    # Timed rules do depend on the instant.
    later = timed.score(text, as_of=dt.date(2027, 6, 1))
    assert not later["points"].equals(expected["points"])


def test_pandas_dtype_backends(saas):
    frame = pd.DataFrame({"region": ["EMEA", "Mars"], "age": [30, 40]})
    arrow = saas.score(frame)
    numpy = saas.score(frame, dtype_backend="numpy_nullable")
    assert str(arrow["score"].dtype) == "int64[pyarrow]" and str(numpy["score"].dtype) == "Int64"
    assert str(numpy["qualified"].dtype) == "boolean"
    pd.testing.assert_frame_equal(as_text(arrow), as_text(numpy))
    assert arrow["score"].isna().tolist() == [False, True]
    with pytest.raises(ValueError, match="dtype_backend"):
        saas.score(frame, dtype_backend="numpy")


def test_a_pandas_result_keeps_the_input_index(saas):
    frame = pd.DataFrame({"region": ["EMEA", "NA-West"], "age": [30, 40]}, index=["a", "b"])
    assert list(saas.score(frame).index) == ["a", "b"]


def test_column_mapping_and_loose_names(saas):
    frame = pd.DataFrame({"Sales Region": ["NA-West"], "AGE": [40], "Dept": ["IT"]})
    mapped = saas.score(frame, map={"Sales Region": "region", "Dept": "department"})
    plain = saas.score(pd.DataFrame({"region": ["NA-West"], "age": [40], "department": ["IT"]}))
    assert mapped["score"][0] == plain["score"][0] > 0


def test_a_column_of_the_wrong_type_raises_a_data_error(saas):
    table = pa.table({"age": pa.array([[1, 2]], type=pa.list_(pa.int64()))})
    with pytest.raises(leadc.DataError, match=r"column `age` fills field `age` \(int\)"):
        saas.score(table)


def test_unknown_keep_columns_are_named(saas):
    with pytest.raises(leadc.DataError, match=r"no column `idd` \(did you mean `id`\?\)"):
        saas.score(pd.DataFrame({"id": [1]}), keep=["idd"])


def test_scoring_releases_the_gil(saas):
    """While a large table is scored on one thread, the main thread runs."""
    n = 1_000_000
    table = pa.table(
        {
            "region": pa.array(["NA-West", "EMEA"] * (n // 2)).dictionary_encode(),
            "age": pa.array(np.arange(n) % 80, type=pa.int64()),
            "employees": pa.array(np.arange(n) % 5000, type=pa.int64()),
        }
    )
    done = threading.Event()
    result = {}

    def work():
        result["scored"] = saas._inner.score_arrow(table, [], None)
        done.set()

    thread = threading.Thread(target=work)
    spins = 0
    thread.start()
    while not done.is_set():
        spins += 1
    thread.join()
    assert result["scored"].num_rows == n
    # Holding the GIL for the whole call would leave the loop a handful of
    # turns (one per switch interval at most before the call starts).
    assert spins > 10_000, spins


def test_explain_is_the_clis_json(saas):
    import json

    lead = {"region": "NA-West", "age": 40, "department": "IT", "demo_request": 1, "title": "VP Sales"}
    cli = json.loads(
        run_cli("explain", str(EXAMPLES / "saas" / "saas.lead"), "--lead", json.dumps(lead), "--format", "json")
    )
    got = saas.explain(lead)
    cli.pop("lead"), got.pop("lead")
    assert got == cli
    assert got["requires_met"] == 3 and got["points"] > 0
    assert saas.explain_text(lead).startswith("lead: the lead given\nscore ")


def test_explain_rejects_an_unknown_field(saas):
    with pytest.raises(leadc.DataError, match="agee"):
        saas.explain({"agee": 40})


def test_numpy_and_nan_values_in_a_lead_dict(saas):
    got = saas.explain({"region": "NA-West", "age": np.int64(40), "budget": float("nan")})
    assert got == saas.explain({"region": "NA-West", "age": 40, "budget": None})


def test_as_of_spellings_agree():
    timed = leadc.load(EXAMPLES / "timed" / "timed.lead")
    leads = pd.read_csv(EXAMPLES / "timed" / "leads.csv", dtype=str, keep_default_na=False)
    want = timed.score(leads, as_of="2026-12-01")["points"]
    for at in [dt.date(2026, 12, 1), dt.datetime(2026, 12, 1), 1_796_083_200, "2026-12-01T00:00:00Z"]:
        assert timed.score(leads, as_of=at)["points"].equals(want), at
    with pytest.raises(ValueError, match="give a date"):
        timed.score(leads, as_of="yesterday")


def test_a_saved_program_loads_and_scores_alike(saas, tmp_path):
    path = tmp_path / "saas.leadc"
    saas.save(path)
    again = leadc.load(path)
    leads = pd.read_csv(EXAMPLES / "saas" / "leads.csv")
    assert again.score(leads).equals(saas.score(leads))
    assert again.source is None
    assert "require region" in saas.source
