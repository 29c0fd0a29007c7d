"""The loyalty-lens customer facts job on Apache Spark.

    loyalty-lens facts-sql sample.csv --engine spark > facts.sql
    spark-submit jobs/facts_job.py --sql facts.sql --input s3://bucket/orders/ --out s3://bucket/facts/
    spark-submit jobs/facts_job.py --sql facts.sql --table warehouse.orders --out /data/facts/

Reads the order lines (CSV with a header, Parquet, or a table), runs the SQL that `loyalty-lens
facts-sql` generated from a sample of them, and writes the facts file, `OUT/facts.csv`: one CSV
with a header, one row per customer, to drop into the app or give to any `loyalty-lens` command.

The rows must come in the order of the file (`monotonically_increasing_id()` numbers them): the
app numbers customers and labels in the order it first meets them, and the facts keep that order.
"""

import argparse
import re

from pyspark.sql import SparkSession


def read(spark, source=None, table=None, fmt="csv"):
    """The order lines as a DataFrame of the columns the SQL names (text as the file has it)."""
    if table:
        return spark.table(table)
    if fmt == "parquet":
        return spark.read.parquet(source)
    # Every column as text, as the app reads it; quoted cells may hold line ends.
    return (
        spark.read.option("header", True)
        .option("inferSchema", False)
        .option("multiLine", True)
        .option("escape", '"')
        .option("encoding", "UTF-8")
        .csv(source)
    )


# A statement that keeps a table: `CACHE TABLE name AS` on a line of its own, then its query.
CACHED = re.compile(r"^CACHE TABLE (\w+) AS\n", re.M)


def statements(sql):
    """The SQL's statements: they are separated by a line holding only `;`."""
    parts, current = [], []
    for line in sql.splitlines():
        if line.strip() == ";":
            parts.append("\n".join(current))
            current = []
        else:
            current.append(line)
    parts.append("\n".join(current))
    return [p for p in parts if p.strip()]


def facts(spark, sql, lines):
    """The facts of `lines` (a DataFrame) by `sql`, ordered as the app orders customers: the
    statements before the last (the rows as read, cached) are run, the last is the facts."""
    lines.createOrReplaceTempView("transactions")
    *first, last = statements(sql)
    for statement in first:
        kept = CACHED.search(statement)
        if kept:
            # Computed once and kept as rows: Spark does not use a `CACHE TABLE` from inside a
            # later statement's WITH, and would compute the table again, from the source, for each.
            spark.sql(statement[kept.end() :]).localCheckpoint(eager=True).createOrReplaceTempView(kept.group(1))
        elif not statement.lstrip().startswith("DROP VIEW") and not all(
            line.startswith("--") for line in statement.strip().splitlines()
        ):
            spark.sql(statement)
    return spark.sql(last)


def write(df, out):
    """The facts as one CSV file with a header, `out`/facts.csv, in the facts' order.

    The sorted facts are written in parts by every task (part i holds the i-th range of the
    order), then the parts are joined in order into the one file, streamed through the driver
    (one task writing the whole file would hold the entire sort on one core)."""
    spark = df.sparkSession
    jvm = spark._jvm
    conf = spark._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path
    parts = out.rstrip("/") + "/_parts"
    df.write.mode("overwrite").option("header", False).option("escape", '"').option("emptyValue", "").csv(parts)
    fs = path(out).getFileSystem(conf)
    # No `.facts.csv.crc` beside the file on a local disk.
    fs.setWriteChecksum(False)
    names = sorted(str(f.getPath().getName()) for f in fs.listStatus(path(parts)) if str(f.getPath().getName()).startswith("part-"))
    target = fs.create(path(out.rstrip("/") + "/facts.csv"), True)
    try:
        target.write(bytearray((",".join(df.columns) + "\n").encode("utf-8")))
        for name in names:
            source = fs.open(path(parts + "/" + name))
            try:
                jvm.org.apache.hadoop.io.IOUtils.copyBytes(source, target, conf, False)
            finally:
                source.close()
    finally:
        target.close()
    fs.delete(path(parts), True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sql", required=True, help="the SQL from `loyalty-lens facts-sql --engine spark`")
    ap.add_argument("--input", help="the order lines: a CSV file or directory, or Parquet with --format parquet")
    ap.add_argument("--table", help="or a table of the order lines")
    ap.add_argument("--format", default="csv", choices=["csv", "parquet"])
    ap.add_argument("--out", required=True, help="the directory the facts file (facts.csv) is written to")
    args = ap.parse_args()
    if not (args.input or args.table):
        ap.error("give --input or --table")
    spark = SparkSession.builder.appName("loyalty-lens facts").getOrCreate()
    with open(args.sql, encoding="utf-8") as f:
        sql = f.read()
    write(facts(spark, sql, read(spark, args.input, args.table, args.format)), args.out)
    spark.stop()


if __name__ == "__main__":
    main()
