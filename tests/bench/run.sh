#!/usr/bin/env bash
# `make bench`: the side-by-side benchmarks behind BENCHMARKS.md. Not part of `make test` (slow
# and noisy). Needs the package registries once (a Python venv with lifetimes, pandas, polars).
#
# Steps: build the release app; run the app's CLV fits in headless Chromium on the CDNOW master
# data; run lifetimes on the same data on this machine; the core's native micro-benchmarks (divan);
# then write BENCHMARKS.md (tests/bench/report.py) from the JSON results in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
RUNS=${RUNS:-7}
OUT=target/bench
mkdir -p "$OUT"

bash .ci/tools.sh --browser
trunk build --release
test -x .venv-bench/bin/python || python3 -m venv .venv-bench
.venv-bench/bin/pip install -q lifetimes pandas scipy polars

MASTER=tests/fixtures/cdnow/CDNOW_master.txt
echo "CLV in the browser ($RUNS runs)…"
(cd tests/e2e && node bench.mjs clv "../../$MASTER" --runs "$RUNS") > "$OUT/clv_browser.json"
echo "CLV with lifetimes ($RUNS runs)…"
.venv-bench/bin/python tests/bench/lifetimes_clv.py "$MASTER" --runs "$RUNS" > "$OUT/clv_lifetimes.json"
echo "CLV with the native CLI…"
cargo build --release --bin loyalty-lens
target/release/loyalty-lens clv "$MASTER" --calibration-end 1997-09-30 --unit week --format json > "$OUT/clv_cli.json"
echo "Native micro-benchmarks…"
cargo bench --bench core 2>/dev/null | tee "$OUT/divan.txt"

.venv-bench/bin/python tests/bench/report.py "$OUT" > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
