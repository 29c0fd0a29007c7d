"""Totals of the benchmark's million rows computed by pandas, to compare with `loyalty-lens inspect`
read in any number of parts (LOYALTY_LENS_READERS=1..8): an independent check of reading in parts.

    target/release/loyalty-lens sample --customers 125000 --seed 42 target/bench/orders_1m.csv
    python tests/golden/pandas_totals.py target/bench/orders_1m.csv
    LOYALTY_LENS_READERS=8 target/release/loyalty-lens inspect target/bench/orders_1m.csv --compact

rows = rows, customers = distinct ids, orders = distinct order ids with an amount above 0,
revenue = the sum of amounts (refunds netted), refunds = rows with a negative amount,
responses = rows with a score. Needs pandas; not part of `make test`.
"""
import sys

import pandas as pd

d = pd.read_csv(sys.argv[1], dtype={"客户ID": str, "订单号": str})
amount = d["实付金额"]
print({
    "rows": len(d),
    "customers": d["客户ID"].nunique(),
    "orders": d.loc[amount > 0, "订单号"].nunique(),
    "revenue": round(float(amount.sum()), 2),
    "refunds": int((amount < 0).sum()),
    "responses": int(d["推荐意愿"].notna().sum()),
})
