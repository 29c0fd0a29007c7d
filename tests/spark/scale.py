"""The facts job's scale on this machine (BENCHMARKS.md, "Beyond one machine"): order lines generated
inside Spark (no file to read), the SQL of `loyalty-lens facts-sql --engine spark` run on them in
local[N], the facts written as CSV. Prints rows, customers, seconds, rows per second per core, and
the facts file's size.

    python tests/spark/scale.py --rows 10000000 --customers 1250000 [--cores 2] [--out DIR]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "loyalty-lens")
sys.path.insert(0, os.path.join(ROOT, "jobs"))


def jvm_peak(stop, peak):
    """Samples the resident memory of this process's Java child (the Spark driver, which in
    local mode runs the executors too) until `stop` is set; the peak in bytes goes to peak[0]."""
    me = str(os.getpid())
    while not stop.is_set():
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().split()
                if fields[3] != me:
                    continue
                with open(f"/proc/{pid}/status") as f:
                    for line in f:
                        if line.startswith("VmRSS:"):
                            peak[0] = max(peak[0], int(line.split()[1]) * 1024)
            except OSError:
                pass
        stop.wait(0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--customers", type=int, default=0, help="default: rows / 8, as the demo data")
    ap.add_argument("--cores", type=int, default=2)
    ap.add_argument("--memory", default="8g")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    customers = args.customers or max(1, args.rows // 8)
    work = args.out or tempfile.mkdtemp(prefix="spark-scale-")
    os.makedirs(work, exist_ok=True)
    # The SQL for the demo data's columns (a small sample decides the mapping).
    sample = os.path.join(work, "sample.csv")
    subprocess.run([CLI, "sample", "--customers", "200", sample], check=True, capture_output=True)
    sql = subprocess.run([CLI, "facts-sql", sample, "--engine", "spark"], check=True, capture_output=True, text=True).stdout
    from pyspark.sql import SparkSession
    import facts_job

    spark = (
        SparkSession.builder.master(f"local[{args.cores}]")
        .appName("loyalty-lens facts scale")
        .config("spark.driver.memory", args.memory)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", str(max(8, args.rows // 2_000_000)))
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # Two lines an order; an order's customer, day and channel from the order number; amounts in
    # cents; a level by customer; an answer on one line in ten, a comment on one in fifty.
    lines = spark.sql(
        f"""
        SELECT
          concat('SO', CAST(o AS STRING)) AS `订单号`,
          lpad(CAST(c AS STRING), 8, '0') AS `客户ID`,
          concat(CAST(date_add(DATE'2023-01-01', CAST(pmod(o * 7919, 1095) AS INT)) AS STRING), ' 10:00:00') AS `下单时间`,
          format_number(CAST(pmod(id * 31, 500000) AS DOUBLE) / 100 + 1, 2) AS `实付金额`,
          '1' AS `数量`,
          element_at(array('App', '线上商城', '零售门店', '合作伙伴'), CAST(pmod(o, 4) AS INT) + 1) AS `渠道`,
          element_at(array('手机', '电视', '笔记本', '智能家居', '穿戴设备', '配件'), CAST(pmod(id * 13, 6) AS INT) + 1) AS `品类`,
          element_at(array('普通', '银卡', '金卡', '钻石'), CAST(pmod(c, 4) AS INT) + 1) AS `会员等级`,
          CASE WHEN pmod(id, 10) = 0 THEN CAST(pmod(id, 11) AS STRING) ELSE '' END AS `推荐意愿`,
          CASE WHEN pmod(id, 50) = 0 THEN '很好用' ELSE '' END AS `评论`
        FROM (SELECT id, id DIV 2 AS o, pmod((id DIV 2) * 2654435761, {customers}) AS c FROM range({args.rows}))
        """
    )
    out = os.path.join(work, "facts")
    import threading

    stop, peak = threading.Event(), [0]
    sampler = threading.Thread(target=jvm_peak, args=(stop, peak))
    sampler.start()
    start = time.time()
    facts_job.write(facts_job.facts(spark, sql, lines), out)
    seconds = time.time() - start
    stop.set()
    sampler.join()
    part = os.path.join(out, "facts.csv")
    size = os.path.getsize(part)
    with open(part, "rb") as f:
        written = sum(1 for _ in f) - 1
    spark.stop()
    print(
        f"rows {args.rows:,}  customers {written:,}  local[{args.cores}]  {seconds:.1f} s  "
        f"{args.rows / seconds / args.cores:,.0f} rows/s/core  JVM peak {peak[0] / 2**30:.2f} GiB  facts {size / 1e6:.1f} MB ({size / max(written, 1) * 1e6 / 1e6:.0f} MB per million customers)  {part}"
    )


if __name__ == "__main__":
    main()
