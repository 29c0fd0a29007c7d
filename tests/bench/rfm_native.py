"""Read + RFM aggregation natively with pandas and polars, for `make bench`.

    python rfm_native.py FILE [--runs N]

FILE is a file written by `loyalty-lens sample` (columns 订单号 order id, 客户ID customer id,
下单时间 order time, 实付金额 amount, …), or its narrow form `customer_id,order_date,amount` (no
order id: a customer's orders are their distinct purchase days, as the app counts them then). Each
run reads the CSV and computes, per customer, the recency (days from the last purchase to the day
after the file's last purchase), the frequency (distinct order ids, or purchase days) and the
monetary value (sum of amounts), then scores each 1–5 by quintile (the RFM group-by the app does as
its first step). Prints JSON: per-run seconds for read and RFM, for
pandas and for polars, and the customer counts (a sanity check against the app's).
"""
import json
import sys
import time

import pandas as pd
import polars as pl

path = sys.argv[1]
runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
with open(path, encoding="utf-8") as f:
    NARROW = f.readline().strip() == "customer_id,order_date,amount"
if NARROW:
    ID, ORDER, TIME, AMOUNT, FORMAT = "customer_id", None, "order_date", "amount", "%Y-%m-%d"
else:
    ID, ORDER, TIME, AMOUNT, FORMAT = "客户ID", "订单号", "下单时间", "实付金额", "%Y-%m-%d %H:%M:%S"


def with_pandas():
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype={ID: str} if NARROW else {ID: str, ORDER: str})
    t1 = time.perf_counter()
    df[TIME] = pd.to_datetime(df[TIME], format=FORMAT)
    as_of = df[TIME].max().normalize() + pd.Timedelta(days=1)
    g = df.groupby(ID).agg(last=(TIME, "max"), frequency=(TIME if NARROW else ORDER, "nunique"), monetary=(AMOUNT, "sum"))
    g["recency"] = (as_of - g["last"].dt.normalize()).dt.days
    for col, ascending in (("recency", False), ("frequency", True), ("monetary", True)):
        g[col[0]] = pd.qcut(g[col].rank(method="first", ascending=ascending), 5, labels=[1, 2, 3, 4, 5])
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(g)


def with_polars():
    t0 = time.perf_counter()
    df = pl.read_csv(path, schema_overrides={ID: pl.Utf8} if NARROW else {ID: pl.Utf8, ORDER: pl.Utf8})
    t1 = time.perf_counter()
    df = df.with_columns(pl.col(TIME).str.to_datetime(FORMAT).dt.date().alias("day"))
    as_of = df["day"].max() + __import__("datetime").timedelta(days=1)
    g = df.group_by(ID).agg(
        pl.col("day").max().alias("last"),
        pl.col("day" if NARROW else ORDER).n_unique().alias("frequency"),
        pl.col(AMOUNT).sum().alias("monetary"),
    ).with_columns((pl.lit(as_of) - pl.col("last")).dt.total_days().alias("recency"))
    n = g.height
    g = g.with_columns(
        ((pl.col("recency").rank("ordinal", descending=True) - 1) * 5 // n + 1).alias("r"),
        ((pl.col("frequency").rank("ordinal") - 1) * 5 // n + 1).alias("f"),
        ((pl.col("monetary").rank("ordinal") - 1) * 5 // n + 1).alias("m"),
    )
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, g.height


out = {"file": path, "pandas": [], "polars": [], "pandas_version": pd.__version__, "polars_version": pl.__version__}
for _ in range(runs):
    for name, fn in (("pandas", with_pandas), ("polars", with_polars)):
        read, rfm, customers = fn()
        out[name].append({"read_s": read, "rfm_s": rfm, "total_s": read + rfm})
        out[f"{name}_customers"] = customers
print(json.dumps(out))
