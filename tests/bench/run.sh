#!/usr/bin/env bash
# `make bench`: the side-by-side benchmarks behind BENCHMARKS.md. Not part of `make test` (slow
# and noisy). Needs the package registries once (a Python venv with lifetimes, pandas, polars).
#
# Steps: build the release app; generate a million transactions (fixed seed) and time the app's
# whole pipeline on them in headless Chromium (file chosen → overview rendered), taking turns run by
# run with DuckDB-Wasm on the same file in the same browser; then pandas and
# polars reading the same file and doing the RFM group-by, and the native CLI, on the file and on its
# narrow form (customer_id,order_date,amount); the app and the CLI pinned to one core, then two
# (the scaling of issue #32); run the app's CLV
# fits in headless Chromium on the CDNOW master data and lifetimes on the same data; the core's
# native micro-benchmarks (divan); with TEN_MILLION=1 and HUNDRED_MILLION=1, the bigger files too
# (the CLI's memory with the rows held and put aside); then write BENCHMARKS.md (tests/bench/report.py) from the JSON
# results in target/bench/.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PWD/tests/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
RUNS=${RUNS:-7}
OUT=target/bench
mkdir -p "$OUT"

bash .ci/tools.sh --browser
# The page's Chinese text drawn with the Chinese fonts its users have: without any, Chromium looks
# through every font for each character, and the start-up's layout figures mean nothing.
if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -qq fonts-noto-cjk || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq fonts-noto-cjk; }
fi
trunk build --release
# The npm package, for its size.
bash package/build.sh
test -x .venv-bench/bin/python || python3 -m venv .venv-bench
.venv-bench/bin/pip install -q lifetimes pandas scipy polars

cargo build --release --bin loyalty-lens
MILLION="$OUT/orders_1m.csv"
target/release/loyalty-lens sample --customers 125000 --seed 42 "$MILLION"
# DuckDB-Wasm's page (tests/bench/duckdb), bundled with esbuild.
DUCK="$OUT/duckdb"
mkdir -p "$DUCK/www"
test -f "$DUCK/package.json" || echo '{"private": true}' > "$DUCK/package.json"
(cd "$DUCK" && npm install --no-audit --no-fund --silent @duckdb/duckdb-wasm@1.32.0 esbuild@0.25.12)
NODE_PATH="$PWD/$DUCK/node_modules" "$DUCK/node_modules/.bin/esbuild" tests/bench/duckdb/page.mjs --bundle --format=esm \
  --outfile="$DUCK/www/duckdb-bench.js" --log-level=warning
cp "$DUCK/node_modules/@duckdb/duckdb-wasm/dist/duckdb-eh.wasm" "$DUCK/node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js" \
  tests/bench/duckdb/index.html "$DUCK/www/"
# The app and DuckDB-Wasm take turns, one run each, so that both meet the same moments of a shared
# machine's load; each run's JSON is gathered into one file per side.
echo "1M transactions: the app and DuckDB-Wasm in the browser, alternately ($RUNS runs each)…"
rm -f "$OUT"/pipeline_run_*.json "$OUT"/duckdb_run_*.json
for i in $(seq "$RUNS"); do
  (cd tests/e2e && node bench.mjs pipeline "../../$MILLION" --runs 1) > "$OUT/pipeline_run_$i.json"
  (cd tests/e2e && node bench.mjs duckdb "../../$MILLION" --www "../../$DUCK/www" --runs 1) > "$OUT/duckdb_run_$i.json"
done
gather() {
  python3 -c 'import json, sys
parts = [json.load(open(f)) for f in sys.argv[1:]]
print(json.dumps({**parts[0], "runs": [r for p in parts for r in p["runs"]]}))' "$@"
}
gather $(for i in $(seq "$RUNS"); do echo "$OUT/pipeline_run_$i.json"; done) > "$OUT/pipeline_browser.json"
gather $(for i in $(seq "$RUNS"); do echo "$OUT/duckdb_run_$i.json"; done) > "$OUT/duckdb.json"
rm -f "$OUT"/pipeline_run_*.json "$OUT"/duckdb_run_*.json
# The CLI's COMMAND (rfm, inspect, facts) on FILE once, with LOYALTY_LENS_SPILL=$3 (0: the rows
# held, 1: put aside in temporary files, or for inspect counted as they pass); prints JSON
# {"s": seconds, "peak_mb": the process's peak resident memory}.
measure() {
  /usr/bin/time -f '%e %M' -o "$OUT/time.txt" env LOYALTY_LENS_SPILL="$3" target/release/loyalty-lens "$1" "$2" > /dev/null
  local s kb
  read -r s kb < "$OUT/time.txt"
  rm -f "$OUT/time.txt"
  printf '{"s": %s, "peak_mb": %s}' "$s" "$((kb / 1024))"
}
# Prints the JSON of the memory measurements on FILE of CUSTOMERS customers.
measure_memory() {
  printf '{"customers": %s, "rows": %s, "bytes": %s, "held": %s, "spilled": %s, "inspect_held": %s, "inspect_counted": %s, "facts_held": %s, "facts_spilled": %s}\n' \
    "$2" "$(($(wc -l < "$1") - 1))" "$(stat -c %s "$1")" "$(measure rfm "$1" 0)" "$(measure rfm "$1" 1)" \
    "$(measure inspect "$1" 0)" "$(measure inspect "$1" 1)" "$(measure facts "$1" 0)" "$(measure facts "$1" 1)"
}
if [ "${TEN_MILLION:-0}" = 1 ]; then
  echo "10M transactions: the app in the browser (one run; TEN_MILLION=1)…"
  target/release/loyalty-lens sample --customers 1250000 --seed 42 "$OUT/orders_10m.csv"
  (cd tests/e2e && node bench.mjs pipeline "../../$OUT/orders_10m.csv" --runs 1) > "$OUT/pipeline_10m.json"
  echo "10M transactions: the native CLI, polars and pandas (one run each)…"
  start=$(date +%s%N)
  target/release/loyalty-lens rfm "$OUT/orders_10m.csv" > /dev/null
  end=$(date +%s%N)
  printf '{"rfm_s": [%s]}\n' "$(( (end - start) / 1000 ))e-6" > "$OUT/rfm_cli_10m.json"
  .venv-bench/bin/python tests/bench/rfm_native.py "$OUT/orders_10m.csv" --runs 1 > "$OUT/rfm_native_10m.json"
  echo "10M transactions: the CLI's rfm, inspect and facts with the rows held, then not (memory)…"
  measure_memory "$OUT/orders_10m.csv" 1250000 > "$OUT/rfm_memory_10m.json"
  rm -f "$OUT/orders_10m.csv"
fi
# A hundred million rows (8.5 GB of CSV; HUNDRED_MILLION=1): the CLI's rfm, inspect and facts with
# the rows held (about 10–13 GB of memory) and not.
if [ "${HUNDRED_MILLION:-0}" = 1 ]; then
  echo "100M transactions: the CLI's rfm, inspect and facts with the rows held, then not (one run each; HUNDRED_MILLION=1)…"
  target/release/loyalty-lens sample --customers 12500000 --seed 42 "$OUT/orders_100m.csv"
  measure_memory "$OUT/orders_100m.csv" 12500000 > "$OUT/rfm_memory_100m.json"
  rm -f "$OUT/orders_100m.csv"
fi
# Times the CLI's `rfm` on FILE, RUNS times, run through the command given after it if any (e.g.
# `taskset -c 0 env LOYALTY_LENS_READERS=1`); prints JSON {"rfm_s": [seconds, …]}.
time_rfm() {
  local file=$1 start end
  shift
  printf '{"rfm_s": ['
  for i in $(seq "$RUNS"); do
    start=$(date +%s%N)
    "$@" target/release/loyalty-lens rfm "$file" > /dev/null
    end=$(date +%s%N)
    [ "$i" -gt 1 ] && printf ','
    printf '%s' "$(( (end - start) / 1000 ))e-6"
  done
  printf ']}\n'
}
echo "1M transactions: pandas and polars ($RUNS runs)…"
.venv-bench/bin/python tests/bench/rfm_native.py "$MILLION" --runs "$RUNS" > "$OUT/rfm_native.json"
echo "1M transactions: the native CLI ($RUNS runs)…"
time_rfm "$MILLION" > "$OUT/rfm_cli.json"
# The same rows with only the three columns a minimal export has (customer_id,order_date,amount).
NARROW="$OUT/narrow_1m.csv"
.venv-bench/bin/python tests/bench/narrow.py "$MILLION" "$NARROW"
echo "1M transactions, narrow file: pandas, polars and the native CLI ($RUNS runs)…"
.venv-bench/bin/python tests/bench/rfm_native.py "$NARROW" --runs "$RUNS" > "$OUT/rfm_native_narrow.json"
time_rfm "$NARROW" > "$OUT/rfm_cli_narrow.json"
# Scaling (issue #32): the app in Chromium and the CLI pinned (taskset) to one core, then to two;
# the page is told it has as many cores as it is given (so the app starts one reader a core, but
# never fewer than two), the CLI reads with as many readers. report.py derives the parallel
# fraction from the two and projects it to 8 cores.
if [ "$(nproc)" -ge 2 ] && command -v taskset > /dev/null; then
  echo "Scaling: the app and the CLI on one core, then two ($RUNS runs each)…"
  rm -f "$OUT"/scale_browser_*_run_*.json
  for i in $(seq "$RUNS"); do
    for c in 1 2; do
      (cd tests/e2e && taskset -c "$(seq -s, 0 $((c - 1)))" node bench.mjs pipeline "../../$MILLION" --runs 1 --cores "$c") \
        > "$OUT/scale_browser_${c}_run_$i.json"
    done
  done
  for c in 1 2; do
    gather $(for i in $(seq "$RUNS"); do echo "$OUT/scale_browser_${c}_run_$i.json"; done) > "$OUT/scale_browser_$c.json"
    time_rfm "$MILLION" taskset -c "$(seq -s, 0 $((c - 1)))" env LOYALTY_LENS_READERS="$c" > "$OUT/scale_cli_$c.json"
    time_rfm "$NARROW" taskset -c "$(seq -s, 0 $((c - 1)))" env LOYALTY_LENS_READERS="$c" > "$OUT/scale_cli_narrow_$c.json"
  done
  rm -f "$OUT"/scale_browser_*_run_*.json
fi

MASTER=tests/fixtures/cdnow/CDNOW_master.txt
echo "CLV in the browser ($RUNS runs)…"
(cd tests/e2e && node bench.mjs clv "../../$MASTER" --runs "$RUNS") > "$OUT/clv_browser.json"
echo "1M transactions: the Actions page after a CLV fit, and its export (3 runs)…"
(cd tests/e2e && node bench.mjs actions "../../$MILLION" --runs 3) > "$OUT/actions_browser.json"
echo "CLV with lifetimes ($RUNS runs)…"
.venv-bench/bin/python tests/bench/lifetimes_clv.py "$MASTER" --runs "$RUNS" > "$OUT/clv_lifetimes.json"
echo "CLV with the native CLI…"
target/release/loyalty-lens clv "$MASTER" --calibration-end 1997-09-30 --unit week --format json > "$OUT/clv_cli.json"
echo "Native micro-benchmarks…"
cargo bench --bench core 2>/dev/null | tee "$OUT/divan.txt"

.venv-bench/bin/python tests/bench/report.py "$OUT" > BENCHMARKS.md
echo "wrote BENCHMARKS.md"
