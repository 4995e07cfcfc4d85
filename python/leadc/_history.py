"""``review`` and ``fit``: a program against an outcome history."""

from __future__ import annotations

import html as _html
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Optional, Union

from . import _leadc
from . import Instant, Program, _instant, _kind, load

History = Any  # a path, or a pandas/polars DataFrame or pyarrow Table


def _program(program: Union[Program, str, _os.PathLike]) -> Program:
    return program if isinstance(program, Program) else load(program)


def _history(history: History) -> tuple:
    """The history as (bytes, format, name)."""
    if isinstance(history, (str, _os.PathLike)):
        path = _os.fspath(history)
        with open(path, "rb") as f:
            data = f.read()
        lower = path.lower()
        fmt = "ndjson" if lower.endswith((".ndjson", ".jsonl", ".json")) else "csv"
        return data, fmt, _os.path.basename(path)
    kind = _kind(history)
    if kind != "pandas":
        import polars as pl

        history = (history if kind == "polars" else pl.from_arrow(history)).to_pandas()
    frame = history.copy()
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind == "f" and _whole(column.dropna()):
            frame[name] = column.astype("Int64")
        elif column.dtype.kind == "O" and any(isinstance(v, (list, tuple)) or hasattr(v, "tolist") for v in column):
            frame[name] = column.map(_events_cell)
    # CSV, so that every cell is read by the schema's intake rules, as
    # `leadc review` reads a CSV history.
    text = frame.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%SZ")
    return text.encode(), "csv", "DataFrame"


def _events_cell(value) -> str:
    """A list of instants as one `;`-separated cell."""
    import datetime as dt

    if value is None or (isinstance(value, float) and value != value):
        return ""
    items = value.tolist() if hasattr(value, "tolist") else list(value)
    out = []
    for item in items:
        if hasattr(item, "to_pydatetime"):
            item = item.to_pydatetime()
        if isinstance(item, dt.datetime):
            item = (item if item.tzinfo else item.replace(tzinfo=dt.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append(str(item))
    return ";".join(out)


def _whole(values) -> bool:
    """Whether a float column holds whole numbers only: an int column with
    gaps, as pandas reads one (written as ints, so that an int field reads
    them, as a CSV cell `40` or the batch engine's whole-float rule does)."""
    return bool(((values % 1) == 0).all()) and bool((abs(values) < 2**53).all())


def _frame(records: list) -> Any:
    """Records as a pandas DataFrame, else polars, else a pyarrow Table."""
    try:
        import pandas as pd

        return pd.DataFrame.from_records(records)
    except ImportError:
        pass
    try:
        import polars as pl

        return pl.DataFrame(records)
    except ImportError:
        import pyarrow as pa

        return pa.Table.from_pylist(records)


def _outcome_args(won, lost, open_):
    return [str(v) for v in won], [str(v) for v in lost], [str(v) for v in open_]


class Review:
    """What ``leadc review`` says: how well the program ranks the history,
    rule by rule, and the signals it misses. ``report`` is the whole JSON
    report; ``html`` the page ``--format html`` writes (shown in a
    notebook)."""

    def __init__(self, report: dict, html: str):
        self.report = report
        self.html = html

    @property
    def summary(self) -> dict:
        return self.report["summary"]

    @property
    def auc(self) -> Optional[float]:
        return self.report.get("auc")

    @property
    def rules(self) -> Any:
        """One row per rule: how often it fires and how those leads convert."""
        return _frame(self.report["rules"])

    @property
    def signals(self) -> Any:
        """Candidate fields and values the program does not use."""
        signals = self.report["signals"]
        return _frame(signals if isinstance(signals, list) else signals.get("candidates", []))

    @property
    def errors(self) -> Any:
        """The history rows that could not be used, with their line."""
        return _frame(self.report["errors"])

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        s = self.summary
        return f"<leadc.Review: {s.get('rows')} leads, AUC {self.auc}>"


def review(
    program: Union[Program, str, _os.PathLike],
    history: History,
    outcome: str,
    *,
    won: Iterable[str] = (),
    lost: Iterable[str] = (),
    open: Iterable[str] = (),
    map: Optional[Mapping[str, str]] = None,
    id: Optional[str] = None,
    as_of: Instant = None,
    as_of_column: Optional[str] = None,
    cases: int = 10,
) -> Review:
    """Runs ``leadc review``: ``program`` (a ``Program`` loaded from source, or
    a path) against ``history`` (a CSV or NDJSON path, or a DataFrame) whose
    ``outcome`` column says whether each lead converted."""
    program = _program(program)
    data, fmt, name = _history(history)
    won, lost, open_ = _outcome_args(won, lost, open)
    title = f"leadc review on {name}"
    report, page = _leadc.review(
        program._inner, data, fmt, outcome, won, lost, open_, list((map or {}).items()), id,
        _instant(as_of), as_of_column, cases, title,
    )
    return Review(_json.loads(report), page)


class Fit:
    """What ``leadc fit`` proposes: new points (and with ``grow``, new
    rules) fitted to the history, with the AUC before and after, both
    cross-validated. ``program`` is the fitted program, ready to score."""

    def __init__(self, report: dict, program: Program):
        self.report = report
        self.program = program

    @property
    def source(self) -> str:
        """The fitted program's text: the original with new numbers."""
        return self.report["source"]

    @property
    def auc_before(self) -> float:
        return self.report["auc_before"]

    @property
    def auc_after(self) -> float:
        return self.report["auc_after"]

    @property
    def rules(self) -> Any:
        """One row per rule: its line, text, old and new points, evidence."""
        return _frame(self.report["rules"])

    @property
    def added(self) -> list:
        """The rules ``grow`` added."""
        return self.report["added"]

    @property
    def lints(self) -> list:
        """The lints the fitted program trips (reported, not hidden)."""
        return self.program.check()

    @property
    def bad_rows(self) -> int:
        """History rows left out of the fit because their data was bad."""
        return self.report["bad_rows"]

    def save(self, path: Union[str, _os.PathLike]) -> None:
        """Writes the fitted program's text."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.source)

    def _repr_html_(self) -> str:
        e = _html.escape
        rows = "".join(
            f"<tr><td>{r['line']}</td><td><code>{e(str(r.get('text', '')))}</code></td>"
            f"<td>{r.get('old')}</td><td>{r.get('new')}</td></tr>"
            for r in self.report["rules"]
        )
        return (
            f"<p>leadc fit: AUC {self.auc_before:.3f} as written → {self.auc_after:.3f} fitted "
            f"({self.report['folds']}-fold cross-validated, {self.report['rows']} leads)</p>"
            f"<table><tr><th>line</th><th>rule</th><th>old</th><th>new</th></tr>{rows}</table>"
        )

    def __repr__(self) -> str:
        return f"<leadc.Fit: AUC {self.auc_before:.3f} -> {self.auc_after:.3f}>"


def fit(
    program: Union[Program, str, _os.PathLike],
    history: History,
    outcome: str,
    *,
    won: Iterable[str] = (),
    lost: Iterable[str] = (),
    open: Iterable[str] = (),
    map: Optional[Mapping[str, str]] = None,
    as_of: Instant = None,
    as_of_column: Optional[str] = None,
    folds: int = 5,
    allow_flip: bool = False,
    seed: int = 1,
    grow: int = 0,
    into: Optional[str] = None,
) -> Fit:
    """Runs ``leadc fit``: points for ``program``'s rules fitted to
    ``history`` by regularised logistic regression, scaled to the program's
    budget and rounded; ``grow=N`` also adds up to N candidate rules."""
    program = _program(program)
    data, fmt, _ = _history(history)
    won, lost, open_ = _outcome_args(won, lost, open)
    report, fitted = _leadc.fit(
        program._inner, data, fmt, outcome, won, lost, open_, list((map or {}).items()),
        _instant(as_of), as_of_column, folds, allow_flip, seed, grow, into,
    )
    return Fit(_json.loads(report), Program(fitted))
