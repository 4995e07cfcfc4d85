"""How much scoring a DataFrame from Python costs over the batch engine.

Scores the same 1M generated leads (the saas example's schema) from a
pyarrow Table, a polars DataFrame and a pandas DataFrame, and times, in
the same process and on the same Arrow buffers, the batch engine alone in
Rust and the engine with the outcome columns built. Prints medians and
ratios. Run after `pip install ./python` (a release build):

    python python/bench/score.py [ROWS] [RUNS]
"""

import pathlib
import platform
import statistics
import sys
import time

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import leadc

ROOT = pathlib.Path(__file__).resolve().parents[2]


def leads(n: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)

    def pick(values, missing=0.0):
        column = np.array(values, dtype=object)[rng.integers(0, len(values), n)]
        if missing:
            column[rng.random(n) < missing] = None
        return pa.array(column, type=pa.string())

    def ints(lo, hi, missing=0.0):
        values = rng.integers(lo, hi, n)
        mask = rng.random(n) < missing if missing else None
        return pa.array(values, type=pa.int64(), mask=mask)

    columns = {
        "region": pick(["NA-West", "NA-East", "EMEA", "APAC", "LATAM"]),
        "age": ints(16, 70, 0.05),
        "department": pick(["IT", "Finance", "Marketing", "Sales", "HR", "Operations"], 0.02),
        "employees": ints(1, 20000),
        "industry": pick(["Software", "Finance", "Healthcare", "Retail", "Education"]),
        "is_b2b": pa.array(rng.random(n) < 0.7),
        "country": pick(["US", "CA", "DE", "FR", "IN", "BR"]),
        "title": pick(["VP Sales", "CTO", "Engineer", "C-level", "Manager", "Intern"]),
        "budget": pa.array(rng.integers(0, 100_000, n).astype(np.float64)),
        "timeline_days": ints(0, 365, 0.1),
        "email_domain": pick(["gmail.com", "acme.com", "yahoo.com", "corp.io"]),
    }
    for name in ["demo_request", "free_trial", "contact_request", "email_open", "web_visit",
                 "pricing_page_view", "webinar_attended", "unsubscribe", "careers_page_view"]:
        columns[name] = pa.array(rng.poisson(0.8, n).astype(np.uint32))
    return pa.table(columns)


def median_time(runs, f):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    program = leadc.load(ROOT / "examples" / "saas" / "saas.lead")
    table = leads(n)
    polars_frame = pl.from_arrow(table)
    pandas_frame = table.to_pandas()
    evaluate, engine, whole = program._inner.time_in_rust(table, runs)
    rows = [
        ("Rust: evaluation only (leads read beforehand)", evaluate),
        ("Rust: batch engine (ArrowLeads + score_arrow)", engine),
        ("Rust: engine + outcome columns (score_record_batch)", whole),
        ("Python: program.score(pyarrow Table)", median_time(runs, lambda: program.score(table))),
        ("Python: program.score(polars DataFrame)", median_time(runs, lambda: program.score(polars_frame))),
        ("Python: program.score(pandas DataFrame)", median_time(runs, lambda: program.score(pandas_frame))),
    ]
    print(f"{n:,} leads, median of {runs} runs, one thread; {cpu()}; Python {platform.python_version()}, "
          f"pyarrow {pa.__version__}, polars {pl.__version__}, pandas {pd.__version__}")
    for name, seconds in rows:
        print(f"  {name:<52} {seconds * 1000:8.1f} ms  {seconds / engine:5.2f}x engine  "
              f"{n / seconds / 1e6:6.2f} M rows/s")


if __name__ == "__main__":
    main()
