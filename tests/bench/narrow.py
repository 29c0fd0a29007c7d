"""Writes the narrow form of a `loyalty-lens sample` file, for `make bench`.

    python narrow.py SAMPLE OUT

OUT has the three columns a minimal export has, `customer_id,order_date,amount`: the sample's
客户ID, the date of its 下单时间 and its 实付金额, row for row (no order id: the app and the
native scripts then count a customer's orders as their distinct purchase days).
"""
import csv
import sys

source, target = sys.argv[1], sys.argv[2]
with open(source, encoding="utf-8", newline="") as f, open(target, "w", encoding="utf-8", newline="") as o:
    rows = csv.reader(f)
    header = next(rows)
    customer, when, amount = header.index("客户ID"), header.index("下单时间"), header.index("实付金额")
    out = csv.writer(o, lineterminator="\n")
    out.writerow(["customer_id", "order_date", "amount"])
    for row in rows:
        out.writerow([row[customer], row[when][:10], row[amount]])
