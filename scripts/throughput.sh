#!/usr/bin/env bash
# Measures `leadc score` end to end on generated CSV leads: wall time, leads
# per second and peak memory, for two input sizes (memory must not grow with
# the input). Usage: scripts/throughput.sh [ROWS...]   (default: 1000000 3000000)
# Runs each size 3 times and reports the median. Needs GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000000 3000000)
cargo build --release --quiet --bin leadc --example gen_leads
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in "${sizes[@]}"; do
  ./target/release/examples/gen_leads "$n" > "$work/leads.csv"
  bytes=$(stat -c %s "$work/leads.csv")
  runs=()
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time" \
      ./target/release/leadc score examples/saas/saas.lead "$work/leads.csv" --keep id -q -o "$work/out.csv"
    runs+=("$(cat "$work/time")")
  done
  rows=$(($(wc -l < "$work/out.csv") - 1))
  [ "$rows" -eq "$n" ] || { echo "expected $n output rows, got $rows" >&2; exit 1; }
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  secs=${median% *}; kib=${median#* }
  printf '%9d leads (%4d MB in): median %.2fs = %.0f leads/s, peak RSS %d MiB (runs: %s)\n' \
    "$n" $((bytes / 1000000)) "$secs" "$(echo "$n / $secs" | bc -l)" $((kib / 1024)) \
    "$(printf '%s; ' "${runs[@]}")"
done
