"""Runs the SQL test suite's queries on Apache Spark in local mode (PySpark).

Usage: python spark_run.py JOB.json OUT.json — the job format of duckdb_run.py
(tables; "csv" tables read from a file; no DuckDB "setup" statements). One Spark
session runs every case; each case's tables are temporary views, replaced by the next.
"""
import datetime
import decimal
import json
import os
import sys

os.environ["TZ"] = "UTC"

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
KINDS = {
    "BIGINT": T.LongType(),
    "DOUBLE": T.DoubleType(),
    "BOOLEAN": T.BooleanType(),
    "VARCHAR": T.StringType(),
    "TIMESTAMP": T.TimestampType(),
    "TIMESTAMPTZ": T.TimestampType(),
}
SPARK_TYPES = {"BIGINT": "BIGINT", "DOUBLE": "DOUBLE", "BOOLEAN": "BOOLEAN", "VARCHAR": "STRING"}


def cell(kind, value):
    if value is None:
        return None
    if kind == "DOUBLE":
        return float(value)
    if kind.startswith("TIMESTAMP"):
        return EPOCH + datetime.timedelta(microseconds=value)
    return value


def create(spark, table):
    schema = T.StructType([T.StructField(name, KINDS[kind], True) for name, kind in table["columns"]])
    kinds = [kind for _, kind in table["columns"]]
    rows = [tuple(cell(k, v) for k, v in zip(kinds, row)) for row in table["rows"]]
    spark.createDataFrame(rows, schema).createOrReplaceTempView(table["name"])


def read_csv(spark, table):
    """A CSV file read as text, the named columns cast to their types."""
    df = spark.read.option("header", True).csv(table["path"])
    typed = dict((name, kind) for name, kind in table["columns"])
    columns = [
        f"CAST(`{c}` AS {SPARK_TYPES[typed[c]]}) AS `{c}`" if c in typed else f"`{c}`" for c in df.columns
    ]
    df.selectExpr(*columns).createOrReplaceTempView(table["name"])


def plain(value):
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


def run(spark, case):
    try:
        for table in case.get("tables", []):
            create(spark, table)
        for table in case.get("csv", []):
            read_csv(spark, table)
        df = spark.sql(case["query"], args=case.get("params") or None)
        rows = [[plain(v) for v in row] for row in df.collect()]
        return {"columns": df.columns, "rows": rows}
    except Exception as e:  # the Rust side reports it with the query
        return {"error": f"{type(e).__name__}: {e}"[:4000]}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        job = json.load(f)
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    out = [run(spark, case) for case in job]
    spark.stop()
    with open(sys.argv[2], "w", encoding="utf-8") as f:
        json.dump(out, f)


main()
