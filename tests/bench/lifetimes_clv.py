"""BG/NBD + Gamma-Gamma fits with the Python package lifetimes, for `make bench`.

    python lifetimes_clv.py CDNOW_master.txt [--runs N]

Reads the CDNOW master file (id, YYYYMMDD, quantity, amount), summarises it with calibration to
1997-09-30 in weeks (as the app does), then times N fits (default 5) of BetaGeoFitter and
GammaGammaFitter (repeat buyers), the summary not included. Prints JSON: per-run seconds and the
fitted parameters.
"""
import json
import sys
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import summary_data_from_transaction_data

warnings.filterwarnings("ignore")
path = sys.argv[1]
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
rows = pd.read_csv(path, sep=r"\s+", header=None, names=["id", "date", "qty", "amount"], dtype=str)
rows = rows[rows["date"].str.fullmatch(r"\d{8}")]
rows["date"] = pd.to_datetime(rows["date"], format="%Y%m%d")
rows["amount"] = rows["amount"].astype(float)
s = summary_data_from_transaction_data(rows, "id", "date", monetary_value_col="amount", observation_period_end="1997-09-30", freq="D")
for c in ("recency", "T"):
    s[c] = s[c] / 7.0
# lifetimes refuses non-positive mean values; the app leaves those buyers out by name: do the same.
repeat = s[(s["frequency"] > 0) & (s["monetary_value"] > 0)]
out = []
for _ in range(runs):
    t0 = time.perf_counter()
    bgf = BetaGeoFitter().fit(s["frequency"], s["recency"], s["T"])
    t1 = time.perf_counter()
    ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
    t2 = time.perf_counter()
    out.append({"bgnbd": (t1 - t0) * 1000, "gamma_gamma": (t2 - t1) * 1000})
print(json.dumps({
    "customers": len(s),
    "repeat_buyers": len(repeat),
    "runs": out,
    "bgnbd": {k: float(v) for k, v in bgf.params_.items()},
    "gamma_gamma": {k: float(v) for k, v in ggf.params_.items()},
}))
