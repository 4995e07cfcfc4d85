#!/usr/bin/env bash
# Renders a `leadc review --format html` report headless and saves a screenshot.
#
#   scripts/render-review.sh REPORT.html [SCREENSHOT.png]
#
# Installs Debian's `chromium` when no chromium is on the PATH (needs root or
# sudo). The screenshot goes to SCREENSHOT.png, or to a new temporary
# directory; its path is printed on the last line. The page must render with
# the network unused: the report is self-contained, and chromium is told not
# to fetch anything of its own.
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
  exit 2
fi
report=$1
if [[ ! -f $report ]]; then
  echo "error: no such file: $report" >&2
  exit 2
fi
shot=${2:-$(mktemp -d)/review.png}
mkdir -p "$(dirname "$shot")"

browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "installing chromium (apt-get install -y chromium)..." >&2
  $sudo apt-get install -y chromium >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y chromium >&2; }
  browser=$(command -v chromium)
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
url="file://$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars \
  --screenshot="$shot" --window-size=1200,2000 "$url" >&2 2>/dev/null || true
if [[ ! -s $shot ]]; then
  echo "error: chromium wrote no screenshot" >&2
  exit 1
fi
echo "$shot"
