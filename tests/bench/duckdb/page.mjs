// DuckDB-Wasm on the same file in the same browser, for `make bench` (bundled by esbuild in
// tests/bench/run.sh; not part of the app). window.runDuckdb(file) reads the CSV into a table and
// runs the RFM GROUP BY with NTILE(5) scores, timing each step with performance.now().
import * as duckdb from '@duckdb/duckdb-wasm';

window.runDuckdb = async (file) => {
  const t0 = performance.now();
  const worker = new Worker('./duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate('./duckdb-eh.wasm');
  const conn = await db.connect();
  const t1 = performance.now();
  await db.registerFileHandle('orders.csv', file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
  await conn.query(`CREATE TABLE orders AS SELECT * FROM read_csv('orders.csv', header = true,
    types = {'订单号': 'VARCHAR', '客户ID': 'VARCHAR', '下单时间': 'TIMESTAMP', '实付金额': 'DOUBLE'})`);
  const t2 = performance.now();
  const result = await conn.query(`
    WITH as_of_day AS (SELECT CAST(MAX("下单时间") AS DATE) + 1 AS d FROM orders),
    c AS (
      SELECT "客户ID" AS id,
             (SELECT d FROM as_of_day) - MAX(CAST("下单时间" AS DATE)) AS recency,
             COUNT(DISTINCT "订单号") AS frequency,
             SUM("实付金额") AS monetary
      FROM orders GROUP BY "客户ID")
    SELECT COUNT(*) AS customers, SUM(r) AS r, SUM(f) AS f, SUM(m) AS m FROM (
      SELECT NTILE(5) OVER (ORDER BY recency DESC) AS r,
             NTILE(5) OVER (ORDER BY frequency) AS f,
             NTILE(5) OVER (ORDER BY monetary) AS m
      FROM c)`);
  const t3 = performance.now();
  const row = result.toArray()[0];
  const customers = Number(row.customers);
  await conn.close();
  await db.terminate();
  worker.terminate();
  return { start_ms: t1 - t0, read_ms: t2 - t1, rfm_ms: t3 - t2, total_ms: t3 - t1, customers };
};
