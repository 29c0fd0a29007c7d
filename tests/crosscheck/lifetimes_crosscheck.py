"""Cross-check of loyalty-lens' CLV predictions against the Python package lifetimes.

Not part of the app or of `make test` (it needs lifetimes from PyPI). Run it with `make crosscheck`,
which creates a virtual environment, or by hand:

    python3 -m venv .venv-lifetimes && .venv-lifetimes/bin/pip install lifetimes pandas scipy
    cargo build --release
    .venv-lifetimes/bin/python tests/crosscheck/lifetimes_crosscheck.py

It fits BG/NBD and Gamma-Gamma with lifetimes on the CDNOW sample (calibration to 1997-09-30, weeks),
predicts every customer, runs `loyalty-lens clv` on the same file, and prints the largest relative
differences per quantity. It fails (exit 1) when any differs by more than 0.1%.
"""
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

repo = Path(__file__).resolve().parents[2]
sample = repo / "tests" / "fixtures" / "cdnow" / "CDNOW_sample.txt"
binary = repo / "target" / "release" / "loyalty-lens"

rows = pd.read_csv(sample, sep=r"\s+", header=None, names=["id", "sample_id", "date", "qty", "amount"], dtype={"id": str})
rows["date"] = pd.to_datetime(rows["date"].astype(str), format="%Y%m%d")
# Weeks as 7 days of day-resolution time: summarise in days, then divide.
started = time.perf_counter()
s = summary_data_from_transaction_data(rows, "id", "date", monetary_value_col="amount", observation_period_end="1997-09-30", freq="D")
for c in ("recency", "T"):
    s[c] = s[c] / 7.0
bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
repeat = s[s["frequency"] > 0]
ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
fit_seconds = time.perf_counter() - started
s["p_alive"] = bgf.conditional_probability_alive(s["frequency"], s["recency"], s["T"])
s["holdout_expected"] = bgf.conditional_expected_number_of_purchases_up_to_time(39.0, s["frequency"], s["recency"], s["T"])
s["expected_value"] = ggf.conditional_expected_average_profit(s["frequency"], s["monetary_value"])
# lifetimes' own CLV counts a month as 4.345 weeks; loyalty-lens as 365.25 / 12 days. The reference
# applies lifetimes' predictions to loyalty-lens' month; lifetimes' own figure is printed beside it.
month = 365.25 / 12 / 7
s["clv"] = sum(
    s["expected_value"]
    * (bgf.conditional_expected_number_of_purchases_up_to_time(i * month, s["frequency"], s["recency"], s["T"])
       - bgf.conditional_expected_number_of_purchases_up_to_time((i - 1) * month, s["frequency"], s["recency"], s["T"]))
    / 1.01 ** i
    for i in range(1, 13)
)
s["clv_lifetimes"] = ggf.customer_lifetime_value(bgf, s["frequency"], s["recency"], s["T"], s["monetary_value"], time=12, discount_rate=0.01, freq="W")

with tempfile.TemporaryDirectory() as tmp:
    out = Path(tmp) / "clv.csv"
    started = time.perf_counter()
    report = json.loads(subprocess.run(
        [str(binary), "clv", str(sample), "--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--customers", str(out)],
        check=True, capture_output=True, text=True).stdout)
    ours_seconds = time.perf_counter() - started
    ours = pd.read_csv(out, dtype={"customer_id": str}).set_index("customer_id")

print(f"lifetimes  BG/NBD {bgf.params_.to_dict()}  Gamma-Gamma {ggf.params_.to_dict()}  ({fit_seconds:.2f} s for both fits)")
print(f"ours       BG/NBD { {k: report['bgnbd'][k] for k in ('r', 'alpha', 'a', 'b')} }  Gamma-Gamma { {k: report['gamma_gamma'][k] for k in ('p', 'q', 'v')} }"
      f"  ({ours_seconds:.2f} s for the whole command, Pareto/NBD included)")
worst = 0.0
for ours_col, theirs_col in [("frequency", "frequency"), ("recency", "recency"), ("T", "T"), ("monetary_value", "monetary_value"),
                             ("p_alive", "p_alive"), ("holdout_expected", "holdout_expected"), ("expected_value", "expected_value"), ("clv", "clv")]:
    a = ours[ours_col].reindex(s.index).astype(float)
    b = s[theirs_col].astype(float)
    rel = ((a - b).abs() / b.abs().clip(lower=1e-9)).where(b.abs() > 1e-9, (a - b).abs())
    print(f"{ours_col:>18}: max relative difference {rel.max():.2e} over {len(b)} customers")
    worst = max(worst, float(rel.max()))
own = ((ours["clv"].reindex(s.index) - s["clv_lifetimes"]).abs() / s["clv_lifetimes"].abs()).max()
print(f"{'clv (lifetimes own)':>18}: max relative difference {own:.2e} (its month is 4.345 weeks, ours 4.348)")
sys.exit(0 if worst < 1e-3 else 1)
