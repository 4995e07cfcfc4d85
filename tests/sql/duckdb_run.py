"""Runs the SQL test suite's queries on DuckDB (tests/sql/duckdb.rs writes the job).

Usage: python duckdb_run.py JOB.json OUT.json
JOB is a list of cases, each {"setup": [statements], "query": text, "params": {..} or null};
OUT gets, per case, {"columns": [...], "rows": [[...], ...]} or {"error": message}.
Each case runs on a fresh in-memory database.
"""
import decimal
import json
import sys

import duckdb


def plain(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def run(case):
    con = duckdb.connect()
    try:
        for statement in case["setup"]:
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
