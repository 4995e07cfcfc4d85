"""Runs the SQL test suite's queries on DuckDB (tests/sql/duckdb.rs writes the job).

Usage: python duckdb_run.py JOB.json OUT.json
JOB is a list of cases, each {"tables": [...], "csv": [...], "setup": [statements], "query": text,
"params": {..} or null}; a table is {"name", "columns": [[name, type]], "rows": [[...]]}
(tests/sql/tables.rs: a DOUBLE cell may be "NaN", a timestamp is microseconds since 1970);
a csv table is {"name", "path", "columns": [[name, type]]}, the other columns as DuckDB guesses;
OUT gets, per case, {"columns": [...], "rows": [[...], ...]} or {"error": message}.
Each case runs on a fresh in-memory database.
"""
import datetime
import decimal
import json
import sys

import duckdb


def plain(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def cell(kind, value):
    """A JSON cell as the Python value DuckDB binds to a column of `kind`."""
    if value is None:
        return None
    if kind == "DOUBLE":
        return float(value)
    if kind in ("TIMESTAMP", "TIMESTAMPTZ"):
        at = EPOCH + datetime.timedelta(microseconds=value)
        return at if kind == "TIMESTAMPTZ" else at.replace(tzinfo=None)
    return value


def create(con, table):
    columns = ", ".join(f'"{name}" {kind}' for name, kind in table["columns"])
    con.execute(f'CREATE TABLE "{table["name"]}" ({columns})')
    if table["rows"]:
        kinds = [kind for _, kind in table["columns"]]
        rows = [[cell(k, v) for k, v in zip(kinds, row)] for row in table["rows"]]
        marks = "(" + ", ".join("?" for _ in kinds) + ")"
        values = ", ".join(marks for _ in rows)
        con.execute(f'INSERT INTO "{table["name"]}" VALUES {values}', [v for row in rows for v in row])


def run(case):
    con = duckdb.connect()
    try:
        for table in case.get("tables", []):
            create(con, table)
        for table in case.get("csv", []):
            types = ", ".join(f"'{name}': '{kind}'" for name, kind in table["columns"])
            con.execute(
                f'CREATE TABLE "{table["name"]}" AS SELECT * FROM '
                f"read_csv('{table['path']}', header = true, types = {{{types}}})"
            )
        for statement in case.get("setup", []):
            con.execute(statement)
        cursor = con.execute(case["query"], case.get("params") or None)
        columns = [d[0] for d in cursor.description]
        rows = [[plain(v) for v in row] for row in cursor.fetchall()]
        return {"columns": columns, "rows": rows}
    except Exception as e:  # the Rust side reports it with the query
        return {"error": f"{type(e).__name__}: {e}"}
    finally:
        con.close()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    out = [run(case) for case in job]
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f)


main()
