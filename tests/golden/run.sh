#!/usr/bin/env bash
# Writes every CLI output on every fixture (and on the benchmark's million rows) into OUT, one file
# per command and input with its exit code, so that a refactor can be checked byte for byte:
#   tests/golden/run.sh /tmp/before; (change); tests/golden/run.sh /tmp/after; diff -r /tmp/before /tmp/after
# BIN overrides the binary (default target/release/loyalty-lens, built first); MILLION=0 skips the 1M file.
set -u
out=${1:?usage: tests/golden/run.sh OUT}
cd "$(dirname "$0")/../.."
bin=${BIN:-target/release/loyalty-lens}
[ -n "${BIN:-}" ] || cargo build --release --quiet || exit 1
mkdir -p "$out"
run() { # NAME ARGS…: stdout, stderr and the exit code of one command
  local name=$1; shift
  "$bin" "$@" > "$out/$name.out" 2> "$out/$name.err"
  echo $? >> "$out/$name.err"
}
files=$(find tests/fixtures -type f \( -name '*.csv' -o -name '*.tsv' -o -name '*.txt' -o -name '*.xls' -o -name '*.xlsx' \) | sort)
for f in $files; do
  key=$(echo "$f" | tr '/' '_')
  run "$key.inspect" inspect "$f"
  run "$key.rfm" rfm "$f"
  run "$key.rfm-json" rfm "$f" --format json
  run "$key.segments" segments "$f"
  run "$key.nps" nps "$f"
  run "$key.pyramid" pyramid "$f"
  run "$key.cohorts" cohorts "$f"
  run "$key.facts" facts "$f"
done
cdnow=tests/fixtures/cdnow/CDNOW_sample.txt
run cdnow.clv clv "$cdnow" --calibration-end 1997-09-30 --holdout-end 1998-06-30 --customers "$out/cdnow.clv.customers.csv"
run cdnow.clv-weeks clv "$cdnow" --calibration-end 1997-09-30 --unit weeks --horizon-months 6 --discount 0.02
run shopify.clv clv tests/fixtures/exports/shopify_orders.csv
run woo.segments-rules segments tests/fixtures/exports/woocommerce_orders.csv --bins 3 --abc-a 0.7 --abc-b 0.9 --tier-shares 0.05,0.15,0.3 --window-days 90 --period month --churn-days 120
run taobao.rfm-thresholds rfm tests/fixtures/exports/taobao_orders.csv --r-thresholds 30,60,90,180 --f-thresholds 2,3,4,5 --m-thresholds 100,200,500,1000
run uci.amount-from inspect tests/fixtures/exports/uci_online_retail.csv --amount-from unit-price
run uci.keep-all rfm tests/fixtures/exports/uci_online_retail.csv --keep-all-statuses
run survey.nps-tx nps tests/fixtures/exports/survey_r_na.csv --transactions tests/fixtures/exports/shopify_orders.csv --latest --format json
run sample.small sample --customers 300 --seed 7
if [ "${MILLION:-1}" != 0 ]; then
  m=target/bench/orders_1m.csv
  [ -f $m ] || { mkdir -p target/bench && "$bin" sample --customers 125000 --seed 42 $m; }
  run million.inspect inspect $m
  run million.rfm rfm $m
  run million.segments segments $m
  run million.clv clv $m --calibration-end 2025-06-30
  run million.facts facts $m
fi
echo "$(ls "$out" | wc -l) files in $out"
