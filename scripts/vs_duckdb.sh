#!/usr/bin/env bash
# leadc score against DuckDB doing the same scoring (examples/saas/saas.lead
# written by hand as SQL) on the same generated CSV, the same threads.
# Usage: scripts/vs_duckdb.sh [ROWS...]   (default: 1000000 5000000)
# Env: THREADS (default 2), RUNS (default 3), INPUT=parquet (both read the
# same leads as a Parquet file DuckDB writes, typed as below, instead of CSV),
# QUERY=leadc (DuckDB runs the query `leadc sql` writes for the program, not
# the hand-written one below). Prints medians of wall time and
# peak RSS (GNU time), and checks that both give every lead the same score,
# points, tier, qualified, segment, requires_met and category totals.
# DuckDB comes from the PyPI wheel, in a venv under target/.
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${THREADS:-2}
runs=${RUNS:-3}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 5000000)
cargo build --release --quiet --bin leadc --example gen_leads
venv=target/duckdb-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import duckdb" 2>/dev/null || "$venv/bin/pip" install -q -r tests/sql/requirements.txt
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The scoring query: one CTE per stage of docs/language.md's evaluation.
cat > "$work/score.py" <<'PY'
import os, sys, duckdb
src, dst, threads = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
counts = ["demo_request", "free_trial", "contact_request", "email_open", "web_visit",
          "pricing_page_view", "webinar_attended", "unsubscribe", "careers_page_view"]
types = {"id": "BIGINT", "email": "VARCHAR", "region": "VARCHAR", "age": "BIGINT",
         "department": "VARCHAR", "employees": "BIGINT", "industry": "VARCHAR",
         "is_b2b": "BOOLEAN", "country": "VARCHAR", "title": "VARCHAR", "budget": "DOUBLE",
         "timeline_days": "BIGINT", "email_domain": "VARCHAR", **{c: "BIGINT" for c in counts}}
cols = ", ".join(f"'{k}': '{v}'" for k, v in types.items())
n = {c: f"coalesce({c}, 0)" for c in counts}  # an empty count is 0
reader = f"read_csv('{src}', header = true, columns = {{{cols}}})"
if src.endswith(".parquet"):
    reader = f"read_parquet('{src}')"
if len(sys.argv) > 4:  # convert: write the typed leads as Parquet, and stop
    con.execute(f"COPY (SELECT * FROM {reader}) TO '{sys.argv[4]}' (FORMAT parquet)")
    sys.exit(0)
query_file = os.environ.get("QUERY_FILE")
if query_file:  # the query `leadc sql` wrote, over the same typed leads
    con.execute(f"CREATE VIEW leads AS SELECT * FROM {reader}")
    con.execute(f"COPY ({open(query_file).read()}) TO '{dst}' (HEADER, DELIMITER ',')")
    sys.exit(0)
con.execute(f"""
COPY (
WITH leads AS (
  SELECT * FROM {reader}
),
rules AS (
  SELECT id,
    -- require region in ["NA-West", "NA-East"] / age >= 18 / department in ["IT", "Finance"]
    (CASE WHEN region IN ('NA-West', 'NA-East') THEN 1 ELSE 0 END)
      + (CASE WHEN age >= 18 THEN 1 ELSE 0 END)
      + (CASE WHEN department IN ('IT', 'Finance') THEN 1 ELSE 0 END) AS requires_met,
    -- segment employees: < 50 => 1, 50..999 => 2, >= 1000 => 3
    CASE WHEN employees < 50 THEN 1 WHEN employees BETWEEN 50 AND 999 THEN 2
         WHEN employees >= 1000 THEN 3 ELSE 0 END AS segment,
    -- category good_fit max 25
    (CASE WHEN industry IN ('Software', 'Finance', 'Healthcare') THEN 10 ELSE 0 END)
      + (CASE WHEN is_b2b THEN 8 ELSE 0 END)
      + (CASE WHEN country = 'US' THEN 4 ELSE 0 END)
      + (CASE WHEN employees BETWEEN 100 AND 4999 THEN 5 ELSE 0 END) AS good_fit,
    -- category ideal max 25
    (CASE WHEN title = 'C-level' THEN 15 ELSE 0 END)
      + (CASE WHEN title = 'VP' THEN 12 ELSE 0 END)
      + (CASE WHEN title IN ('Director', 'Project Manager') THEN 10 ELSE 0 END)
      + (CASE WHEN budget >= 50000 THEN 10 ELSE 0 END)
      + (CASE WHEN timeline_days <= 90 THEN 8 ELSE 0 END) AS ideal,
    -- category critical max 25: *behaviour ... once, when the count is >= 1
    (CASE WHEN {n['demo_request']} >= 1 THEN 20 ELSE 0 END)
      + (CASE WHEN {n['free_trial']} >= 1 THEN 20 ELSE 0 END)
      + (CASE WHEN {n['contact_request']} >= 1 THEN 10 ELSE 0 END) AS critical,
    -- category interest max 25: `each max` is min(n x c, m)
    least({n['email_open']} * 1, 5) + least({n['web_visit']} * 1, 10)
      + least({n['pricing_page_view']} * 3, 9)
      + (CASE WHEN {n['webinar_attended']} >= 2 THEN 10 ELSE 0 END) AS interest,
    -- category penalties (no max): a negative `each max` is max(n x c, m)
    (CASE WHEN {n['unsubscribe']} >= 1 THEN -20 ELSE 0 END)
      + greatest({n['careers_page_view']} * -5, -15)
      + (CASE WHEN email_domain IN ('gmail.com', 'yahoo.com') THEN -10 ELSE 0 END) AS penalties
  FROM leads
),
capped AS (
  SELECT *, least(good_fit, 25) AS good_fit_points, least(ideal, 25) AS ideal_points,
    least(critical, 25) AS critical_points, least(interest, 25) AS interest_points,
    penalties AS penalties_points
  FROM rules
),
totals AS (
  -- points: the capped totals' sum, clamped to 0..=99 (the digit layout)
  SELECT *, greatest(0, least(99, good_fit_points + ideal_points + critical_points
      + interest_points + penalties_points)) AS points,
    requires_met = 3 AS qualified
  FROM capped
)
SELECT id, segment * 1000 + requires_met * 100 + points AS score, points,
  CASE WHEN qualified AND points >= 60 THEN 'sales_ready'
       WHEN points >= 30 THEN 'nurture' ELSE 'cold' END AS tier,
  qualified, segment, requires_met, good_fit_points, ideal_points, critical_points,
  interest_points, penalties_points
FROM totals
) TO '{dst}' (HEADER, DELIMITER ',')
""")
PY

cat > "$work/compare.py" <<'PY'
import sys, duckdb
ours, duck = sys.argv[1], sys.argv[2]
cols = ["score", "points", "tier", "qualified", "segment", "requires_met", "good_fit_points",
        "ideal_points", "critical_points", "interest_points", "penalties_points"]
con = duckdb.connect()
diff = " OR ".join(f"a.{c}::VARCHAR IS DISTINCT FROM b.{c}::VARCHAR" for c in cols)
rows = con.execute(f"SELECT count(*) FROM read_csv('{ours}', header=true, all_varchar=true) a "
                   f"FULL JOIN read_csv('{duck}', header=true, all_varchar=true) b USING (id)").fetchone()[0]
bad = con.execute(f"SELECT a.id, {', '.join('a.' + c for c in cols)}, {', '.join('b.' + c for c in cols)} "
                  f"FROM read_csv('{ours}', header=true, all_varchar=true) a "
                  f"FULL JOIN read_csv('{duck}', header=true, all_varchar=true) b USING (id) "
                  f"WHERE a.id IS NULL OR b.id IS NULL OR {diff} LIMIT 5").fetchall()
count = con.execute(f"SELECT count(*) FROM read_csv('{ours}', header=true, all_varchar=true) a "
                    f"FULL JOIN read_csv('{duck}', header=true, all_varchar=true) b USING (id) "
                    f"WHERE a.id IS NULL OR b.id IS NULL OR {diff}").fetchone()[0]
print(f"  compared {rows} rows: {count} differ")
for row in bad:
    print("  ", row)
sys.exit(1 if count else 0)
PY

if [ "${QUERY:-hand}" = leadc ]; then
  ./target/release/leadc sql examples/saas/saas.lead --keep id -o "$work/score.sql"
  export QUERY_FILE="$work/score.sql"
fi

median() { sort -n | sed -n "$(( (runs + 1) / 2 ))p"; }
for n in "${sizes[@]}"; do
  ./target/release/examples/gen_leads "$n" > "$work/leads.csv"
  input="$work/leads.csv"
  if [ "${INPUT:-csv}" = parquet ]; then
    "$venv/bin/python" "$work/score.py" "$work/leads.csv" - "$threads" "$work/leads.parquet"
    input="$work/leads.parquet"
  fi
  mb=$(( $(stat -c %s "$input") / 1000000 ))
  : > "$work/leadc.t"; : > "$work/duck.t"
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -a -o "$work/leadc.t" ./target/release/leadc score examples/saas/saas.lead \
      "$input" --keep id -q --threads "$threads" -o "$work/leadc.csv"
    /usr/bin/time -f "%e %M" -a -o "$work/duck.t" "$venv/bin/python" "$work/score.py" \
      "$input" "$work/duck.csv" "$threads"
  done
  lw=$(cut -d' ' -f1 "$work/leadc.t" | median); lm=$(cut -d' ' -f2 "$work/leadc.t" | sort -n | tail -1)
  dw=$(cut -d' ' -f1 "$work/duck.t" | median); dm=$(cut -d' ' -f2 "$work/duck.t" | sort -n | tail -1)
  printf '%9d leads (%d MB), %d threads: leadc %.2f s (%.2f M rows/s, %d MiB) | DuckDB %.2f s (%.2f M rows/s, %d MiB) | DuckDB / leadc %.2f\n' \
    "$n" "$mb" "$threads" "$lw" "$(echo "$n / $lw / 1000000" | bc -l)" $((lm / 1024)) \
    "$dw" "$(echo "$n / $dw / 1000000" | bc -l)" $((dm / 1024)) "$(echo "$dw / $lw" | bc -l)"
  echo "  runs: leadc $(cut -d' ' -f1 "$work/leadc.t" | tr '\n' ' ')| DuckDB $(cut -d' ' -f1 "$work/duck.t" | tr '\n' ' ')"
  "$venv/bin/python" "$work/compare.py" "$work/leadc.csv" "$work/duck.csv"
done
