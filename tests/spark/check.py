"""`make spark-check`: the customer facts job on Apache Spark (local[2]) and DuckDB against the CLI.

For each file: the CLI's own facts (`loyalty-lens facts`), the facts the SQL of `loyalty-lens
facts-sql` computes on DuckDB and on Spark (through jobs/facts_job.py, as spark-submit runs it),
compared customer by customer, field by field; then every analysis command on the three facts
files against the same command on the file itself: identical output, or the check fails.

    python tests/spark/check.py [--rows N] [--only NAME]
"""

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "loyalty-lens")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
sys.path.insert(0, os.path.join(ROOT, "jobs"))

# (name, file under tests/fixtures, its encoding): files in a layout both engines read as CSV.
FILES = [
    ("gbk_orders", "gbk_orders.csv", "gbk"),
    ("cross_sell", "cross_sell.csv", "utf-8"),
    ("profile", "profile.csv", "utf-8"),
    ("actions_dozen", "actions_dozen.csv", "utf-8"),
    ("uci_online_retail", "exports/uci_online_retail.csv", "cp1252"),
    ("woocommerce", "exports/woocommerce_orders.csv", "utf-8"),
    ("taobao", "exports/taobao_orders.csv", "gbk"),
    ("youzan", "exports/youzan_orders.csv", "utf-8-sig"),
    ("jd", "exports/jd_orders.csv", "gbk"),
    # Every date form the app reads: Chinese, compact, Excel serials, times, two-digit years, days
    # not in the calendar; day-first and month-first files.
    ("date_forms_dmy", "date_forms_dmy.csv", "utf-8"),
    ("date_and_amount_forms", "date_and_amount_forms.csv", "utf-8"),
    ("us_dates", "us_dates.csv", "utf-8"),
]

COMMANDS = [
    ["segments"],
    ["rfm"],
    ["cohorts"],
    ["pyramid"],
    ["actions"],
    ["actions", "--format", "json"],
    ["winback"],
    ["clv-groups"],
    ["clv"],
    ["follow-up"],
    ["nps"],
]


def cli(*args):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def first_difference(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"row {i + 1}: {x} != {y}"
    return f"{len(a)} rows != {len(b)} rows"


def duckdb_facts(sql, path, out):
    import duckdb

    con = duckdb.connect()
    # A table, not a view: its rowid is the file's order.
    con.execute(
        "CREATE TABLE transactions AS SELECT * FROM read_csv(?, all_varchar = true, header = true, delim = ',', quote = '\"', escape = '\"')",
        [path],
    )
    import facts_job

    *first, last = facts_job.statements(sql)
    for statement in first:
        con.execute(statement)
    con.execute(f"COPY ({last}) TO '{out}' (HEADER, DELIMITER ',')")
    con.close()


def spark_facts(spark, sql, path, out_dir):
    import facts_job

    facts_job.write(facts_job.facts(spark, sql, facts_job.read(spark, path)), out_dir)
    return os.path.join(out_dir, "facts.csv")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated sample (0: none)")
    ap.add_argument("--only", help="check only this file")
    args = ap.parse_args()
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("loyalty-lens spark-check")
        .config("spark.driver.memory", "6g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    work = tempfile.mkdtemp(prefix="spark-check-")
    files = []
    for name, rel, enc in FILES:
        # Both engines read UTF-8: a legacy-encoded export is converted first, for all three.
        src = os.path.join(FIXTURES, rel)
        dst = os.path.join(work, name + ".csv")
        with open(src, encoding=enc, newline="") as f, open(dst, "w", encoding="utf-8", newline="") as g:
            g.write(f.read())
        files.append((name, dst))
    # CDNOW's whitespace columns as CSV.
    cdnow = os.path.join(work, "cdnow_sample.csv")
    with open(os.path.join(FIXTURES, "cdnow", "CDNOW_sample.txt")) as f, open(cdnow, "w") as g:
        g.write("customer_id,order_date,quantity,amount\n")
        for line in f:
            parts = line.split()
            if parts:
                g.write(f"{parts[0]},{parts[2]},{parts[3]},{parts[4]}\n")
    files.append(("cdnow_sample", cdnow))
    if args.rows:
        sample = os.path.join(work, "sample.csv")
        code, _, err = cli("sample", "--customers", str(max(1, args.rows // 8)), sample)
        assert code == 0, err
        files.append(("sample", sample))
    if args.only:
        files = [f for f in files if f[0] == args.only]
    failures = []
    print(f"{'file':<20}{'customers':>10}{'cli s':>8}{'duckdb s':>10}{'spark s':>9}  facts  analyses")
    for name, path in files:
        ref = os.path.join(work, name + ".facts.csv")
        t = time.time()
        code, _, err = cli("facts", path, "--out", ref)
        t_cli = time.time() - t
        if code != 0:
            failures.append(f"{name}: facts: {err.strip()}")
            continue
        got = {}
        t = time.time()
        code, sql, err = cli("facts-sql", path, "--engine", "duckdb")
        assert code == 0, err
        got["duckdb"] = os.path.join(work, name + ".duckdb.csv")
        duckdb_facts(sql, path, got["duckdb"])
        t_duck = time.time() - t
        t = time.time()
        code, sql, err = cli("facts-sql", path, "--engine", "spark")
        assert code == 0, err
        got["spark"] = spark_facts(spark, sql, path, os.path.join(work, name + ".spark"))
        t_spark = time.time() - t
        want = rows(ref)
        same = True
        for engine, out in got.items():
            have = rows(out)
            if have != want:
                same = False
                failures.append(f"{name}: {engine}'s facts differ from the CLI's: {first_difference(want, have)}")
        analyses = 0
        for command in COMMANDS:
            expected = cli(*command, path)
            for engine, out in got.items():
                result = cli(*command, out)
                norm = lambda r, p: (r[0], r[1].replace(p, "FILE"), r[2].replace(p, "FILE"))
                if norm(result, out) != norm(expected, path):
                    failures.append(f"{name}: {' '.join(command)} on {engine}'s facts differs from the file's")
                else:
                    analyses += 1
        print(
            f"{name:<20}{len(want) - 1:>10}{t_cli:>8.1f}{t_duck:>10.1f}{t_spark:>9.1f}  {'same' if same else 'DIFF':<5}  {analyses}/{2 * len(COMMANDS)} same"
        )
    spark.stop()
    if failures:
        print("\n".join(["", "FAILED:"] + failures + [f"(the files are kept in {work})"]))
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)
    print("spark-check passed: Spark, DuckDB and the CLI give identical facts and analyses")


if __name__ == "__main__":
    main()
