"""Writes the Parquet fixtures in tests/data/parquet/ with DuckDB, a real
producer of Parquet files (DuckDB from the venv `scripts/vs_duckdb.sh`
makes: target/duckdb-venv/bin/python scripts/parquet_fixtures.py).

- saas_leads.parquet: examples/saas/leads.csv as DuckDB types it (BIGINT,
  VARCHAR, BOOLEAN).
- timed_leads.parquet: examples/timed/leads.csv with the event columns as
  lists of TIMESTAMPTZ (Arrow: Timestamp(Microsecond, UTC)).
- hostile.parquet: values that do not fit (an int as text, `forty`, 1.5
  employees, NaN, an unknown region, a negative count, blank strings).
- brotli.parquet: three saas leads with Brotli pages (a codec leadc lacks).
- twice.parquet: `age` and `AGE`, two columns that fill one field.
"""
import duckdb

OUT = "tests/data/parquet"
duckdb.sql("SET TimeZone='UTC'")
duckdb.sql(f"COPY (SELECT * FROM read_csv('examples/saas/leads.csv')) TO '{OUT}/saas_leads.parquet' (FORMAT parquet)")


def events(c):
    return (f"CASE WHEN {c} IS NULL OR {c} = '' THEN []::TIMESTAMPTZ[] "
            f"ELSE list_transform(string_split({c}, ';'), lambda x: x::TIMESTAMPTZ) END AS {c}")


cols = ", ".join(events(c) for c in ["web_visit", "pricing_page_view"])
duckdb.sql(f"COPY (SELECT id::BIGINT AS id, is_b2b, demo_request::INTEGER AS demo_request, {cols} "
           f"FROM read_csv('examples/timed/leads.csv', all_varchar=true)) "
           f"TO '{OUT}/timed_leads.parquet' (FORMAT parquet)")
duckdb.sql(f"""COPY (SELECT * FROM (VALUES
 (1, '40', 120.0::DOUBLE, 'EMEA', 1::BIGINT, 'Software'),
 (2, 'forty', 1.5::DOUBLE, 'Mars', -1::BIGINT, ''),
 (3, NULL, 'NaN'::DOUBLE, NULL, NULL, '  '),
 (4, '29', 5000.0::DOUBLE, 'APAC', 2::BIGINT, NULL)
) t(id, age, employees, region, demo_request, industry)) TO '{OUT}/hostile.parquet' (FORMAT parquet)""")
duckdb.sql(f"COPY (SELECT * FROM read_csv('examples/saas/leads.csv') LIMIT 3) "
           f"TO '{OUT}/brotli.parquet' (FORMAT parquet, COMPRESSION brotli)")
duckdb.sql(f"COPY (SELECT 1::BIGINT AS id, 40::BIGINT AS age, 41::BIGINT AS AGE_) "
           f"TO '{OUT}/twice.parquet' (FORMAT parquet)")
for f in ["saas_leads", "timed_leads", "hostile", "brotli", "twice"]:
    print(f, duckdb.sql(f"DESCRIBE SELECT * FROM '{OUT}/{f}.parquet'").fetchall())
