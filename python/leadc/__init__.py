"""leadc for Python: score DataFrames with a lead-scoring program.

>>> import leadc
>>> program = leadc.load("examples/saas/saas.lead")
>>> scored = program.score(leads_df, keep=["id"])      # pandas, polars or pyarrow
>>> program.explain({"region": "NA-West", "age": 40, "demo_request": 1})["score"]
>>> review = leadc.review(program, "examples/saas/history.csv", outcome="converted")
>>> fit = leadc.fit(program, "examples/saas/history.csv", outcome="converted")

Scoring goes through Arrow into leadc's batch engine without a copy where
the columns already have its layout, with the GIL released. Errors carry
leadc's codes and locations; a row whose values cannot be read is kept,
with null scores and its problem in the ``error`` column, as ``leadc
score`` writes it. docs/python.md is the guide.
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
import time as _time
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import pyarrow as _pa

from . import _leadc
from ._leadc import CompileError, DataError, Diagnostic, LeadcError

__all__ = [
    "CompileError",
    "DataError",
    "Diagnostic",
    "Fit",
    "LeadcError",
    "Program",
    "Review",
    "check",
    "compile",
    "fit",
    "load",
    "review",
]

Instant = Union[None, int, str, _dt.datetime, _dt.date]


def load(path: Union[str, _os.PathLike], schema: Union[str, _os.PathLike, None] = None) -> "Program":
    """Loads a ``.lead`` program (checked against the schema its ``schema``
    line names, or ``schema``) or a compiled ``.leadc`` file.

    Raises ``CompileError`` (with ``diagnostics``) when it does not check."""
    return Program(_leadc.load(_os.fspath(path), None if schema is None else _os.fspath(schema)))


def compile(source: str, schema: str) -> "Program":
    """Compiles program text against schema TOML text; diagnostics name the
    files ``program.lead`` and ``schema.toml``."""
    return Program(_leadc.compile(source, schema))


def check(path: Union[str, _os.PathLike], schema: Union[str, _os.PathLike, None] = None) -> list:
    """Every diagnostic of a program file, errors and lints, as ``leadc
    check`` finds them, without raising."""
    return _leadc.check(_os.fspath(path), None if schema is None else _os.fspath(schema))


def _instant(value: Instant) -> Optional[int]:
    """Seconds since the Unix epoch, UTC; naive datetimes are UTC."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("as_of: expected a datetime, a date, an ISO string, 'now' or epoch seconds, not a bool")
    if isinstance(value, int):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return int(value.timestamp() // 1)
    if isinstance(value, _dt.date):
        return int(_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc).timestamp())
    if isinstance(value, str):
        if value.strip().lower() == "now":
            return int(_time.time())
        return _leadc.parse_instant(value)
    raise TypeError(f"as_of: expected a datetime, a date, an ISO string, 'now' or epoch seconds, not {type(value).__name__}")


def _kind(data: Any) -> str:
    module = type(data).__module__.split(".")[0]
    if module == "pandas" and type(data).__name__ == "DataFrame":
        return "pandas"
    if module == "polars" and type(data).__name__ == "DataFrame":
        return "polars"
    if isinstance(data, (_pa.Table, _pa.RecordBatch)):
        return "arrow"
    if hasattr(data, "__arrow_c_stream__"):
        return "stream"
    raise TypeError(
        f"expected a pandas or polars DataFrame, a pyarrow Table or RecordBatch, or an object with "
        f"__arrow_c_stream__, not {type(data).__name__}"
    )


def _to_arrow(data: Any, kind: str) -> _pa.Table:
    if kind == "pandas":
        try:
            return _pa.Table.from_pandas(data, preserve_index=False)
        except (_pa.ArrowInvalid, _pa.ArrowTypeError) as e:
            raise DataError(
                f"the DataFrame cannot be read as Arrow columns: {e}; give the column one type "
                f"(e.g. `df[col].astype(str)`)"
            ) from None
    if kind == "polars":
        return data.to_arrow()
    if isinstance(data, _pa.RecordBatch):
        return _pa.Table.from_batches([data])
    if kind == "arrow":
        return data
    return _pa.table(data)


def _pandas_types():
    import pandas as pd

    return {
        _pa.int64(): pd.Int64Dtype(),
        _pa.uint8(): pd.UInt8Dtype(),
        _pa.uint32(): pd.UInt32Dtype(),
        _pa.bool_(): pd.BooleanDtype(),
        _pa.string(): pd.StringDtype(),
    }.get


def _check_keep(columns: Sequence[str], keep: Sequence[str]) -> None:
    missing = [k for k in keep if k not in columns]
    if missing:
        import difflib

        hints = []
        for m in missing:
            close = difflib.get_close_matches(m, list(columns), n=1)
            hints.append(f"`{m}`" + (f" (did you mean `{close[0]}`?)" if close else ""))
        raise DataError(f"keep: the data has no column {', '.join(hints)}")


class Program:
    """A compiled, checked lead-scoring program (``load``, ``compile``)."""

    def __init__(self, inner: "_leadc.Program"):
        self._inner = inner

    def score(
        self,
        data: Any,
        keep: Iterable[str] = (),
        as_of: Instant = None,
        map: Optional[Mapping[str, str]] = None,
        dtype_backend: str = "pyarrow",
    ) -> Any:
        """Scores every row of ``data`` (a pandas or polars DataFrame, a
        pyarrow Table or RecordBatch) and returns the same kind of frame:
        the ``keep`` columns, then ``score``, ``rank``, ``points``,
        ``tier``, ``qualified``, ``segment``, ``requires_met``, one
        ``<category>_points`` per category and ``error`` — one row per
        input row, in order (a pandas result keeps the input's index).

        Columns are matched to the schema as ``leadc score`` matches a
        header (exact names, the schema's ``[columns]``, loose names);
        ``map={"Company Size": "employees"}`` names one. ``as_of`` is the
        instant timed rules are scored at (default: now, for a timed
        program). A row whose values cannot be read has null scores and its
        problem in ``error``; a column that cannot be read at all raises
        ``DataError``.

        A pandas result's score columns are Arrow-backed (``int64[pyarrow]``,
        ``string[pyarrow]``: nullable, and handed over without a copy);
        ``dtype_backend="numpy_nullable"`` gives ``Int64``, ``boolean`` and
        ``string`` instead, as pandas' own ``dtype_backend`` does."""
        kind = _kind(data)
        if dtype_backend not in ("pyarrow", "numpy_nullable"):
            raise ValueError(f"dtype_backend={dtype_backend!r}: expected 'pyarrow' or 'numpy_nullable'")
        keep = list(keep)
        table = _to_arrow(data, kind)
        _check_keep(table.column_names, keep)
        mapping = list((map or {}).items())
        scored = self._inner.score_arrow(table, mapping, _instant(as_of))
        if kind == "pandas":
            import pandas as pd

            mapper = pd.ArrowDtype if dtype_backend == "pyarrow" else _pandas_types()
            frame = scored.to_pandas(types_mapper=mapper)
            frame.index = data.index
            if keep:
                frame = pd.concat([data[keep], frame], axis=1)
            return frame
        if kind == "polars":
            import polars as pl

            frame = pl.from_arrow(scored)
            return data.select(keep).hstack(frame) if keep else frame
        for i, name in enumerate(keep):
            scored = scored.add_column(i, name, table.column(name))
        return scored

    def explain(self, lead: Mapping[str, Any], as_of: Instant = None) -> dict:
        """One lead (a dict of field and behaviour values, as ``leadc
        explain --lead`` takes) explained: must-haves, rules with fired,
        points and the values they read, categories, score and tier — the
        object ``leadc explain --format json`` prints."""
        return _json.loads(self._inner.explain(_lead_json(lead), _instant(as_of), False))

    def explain_text(self, lead: Mapping[str, Any], as_of: Instant = None) -> str:
        """The table ``leadc explain`` prints for one lead."""
        return self._inner.explain(_lead_json(lead), _instant(as_of), True)

    def check(self) -> list:
        """The program's lints, as ``leadc check`` reports them (a program
        that loaded has no errors)."""
        return self._inner.check()

    def save(self, path: Union[str, _os.PathLike]) -> None:
        """Writes the compiled program (``leadc compile``'s format)."""
        with open(path, "wb") as f:
            f.write(bytes(self._inner.to_bytes()))

    @property
    def source(self) -> Optional[str]:
        """The program's text (``None`` for a compiled file)."""
        return self._inner.source

    @property
    def tiers(self) -> list:
        return self._inner.tiers

    @property
    def categories(self) -> list:
        return self._inner.categories

    @property
    def fields(self) -> list:
        """The schema's fields, as (name, type) pairs."""
        return self._inner.fields

    @property
    def behaviours(self) -> list:
        return self._inner.behaviours

    @property
    def is_timed(self) -> bool:
        return self._inner.is_timed

    def __repr__(self) -> str:
        return repr(self._inner)


def _json_default(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot read a {type(value).__name__} as a lead value")


def _lead_json(lead: Mapping[str, Any]) -> str:
    if not isinstance(lead, Mapping):
        raise TypeError(f"a lead is a dict of field and behaviour values, not {type(lead).__name__}")
    # NaN is how pandas and numpy say "missing".
    values = {k: (None if isinstance(v, float) and v != v else v) for k, v in lead.items()}
    return _json.dumps(values, default=_json_default, allow_nan=False)


from ._history import Fit, Review, fit, review  # noqa: E402
