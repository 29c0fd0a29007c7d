// The npm package in a page that is not ours (examples/pyramid/: no Yew, no app code, the package
// imported by name through an import map): in headless Chromium, a file chosen in it is analysed in
// the package's worker and the pyramid and totals it draws are the numbers `loyalty-lens pyramid`
// and `loyalty-lens segments` print for that file. Needs pkg/ (`make package`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const bin = process.env.LOYALTY_LENS_BIN ?? join(repo, 'target', 'debug', 'loyalty-lens');
const fixture = (name) => join(repo, 'tests', 'fixtures', name);
const TIMEOUT = 20_000;

let server;
let browser;
let page;
let origin;
const requests = [];
const errors = [];
const csp = [];

before(async () => {
  // The repository root, so that the example finds the package at ../../pkg/ as a page would find
  // it in node_modules.
  server = await startServer(repo, '/');
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ locale: 'en-US' });
  page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => /Content.Security.Policy/i.test(m.text()) && csp.push(m.text()));
  await page.goto(`${origin}/examples/pyramid/index.html`);
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

const cli = (...args) => JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));

/** Chooses `file` and waits for the page to finish (or fail) with it. */
async function choose(file) {
  // The state of the file before must not pass for this one's.
  await page.evaluate(() => (document.getElementById('status').dataset.state = 'idle'));
  await page.locator('#file').setInputFiles(fixture(file));
  await page.locator(`#status[data-state="done"], #status[data-state="failed"]`).waitFor({ timeout: TIMEOUT });
  return page.locator('#status').getAttribute('data-state');
}

/** The tiers the page shows: name, customers, revenue. */
const shown = () => page.$$eval('#tiers tbody tr', (rows) => rows.map((r) => [r.dataset.tier, Number(r.dataset.customers), Number(r.dataset.revenue)]));

for (const file of ['exports/shopify_orders.csv', 'exports/taobao_orders.csv', 'gbk_orders.csv', 'orders.xlsx']) {
  test(`${file}: the example page draws the pyramid and totals the CLI prints`, async () => {
    assert.equal(await choose(file), 'done', await page.locator('#status').textContent());
    const pyramid = cli('pyramid', fixture(file));
    const segments = cli('segments', fixture(file));
    assert.deepEqual(await shown(), pyramid.tiers.map((t) => [t.name, t.customers, t.revenue]));
    assert.deepEqual(pyramid.tiers, segments.pyramid.tiers, 'the pyramid command prints the segmentation pyramid');
    const summary = page.locator('#summary');
    assert.equal(Number(await summary.getAttribute('data-customers')), segments.customers);
    assert.equal(Number(await summary.getAttribute('data-revenue')), segments.revenue);
    assert.equal(await page.locator('#pyramid polygon').count(), pyramid.tiers.length);
  });
}

test('a file that names no customer column is refused with its columns, and the page asks', async () => {
  assert.equal(await choose('exports/tmall_no_customer.csv'), 'failed');
  assert.match(await page.locator('#status').textContent(), /\(no_customer_column\)/);
  const columns = await page.$$eval('#customer option', (options) => options.map((o) => o.value));
  assert.ok(columns.length >= 3, columns.join());
  assert.ok(await page.locator('#ask').isVisible());
});

test('LoyaltyWorker in the page: CLV with progress and cancel, lists, exports, joins and typed errors, the page never blocked', async () => {
  const cdnow = fixture('cdnow/CDNOW_sample.txt');
  const want = cli('clv', cdnow, '--calibration-end', '1997-09-30', '--holdout-end', '1998-06-30');
  const got = await page.evaluate(async () => {
    const { LoyaltyWorker, LoyaltyError } = await import('/pkg/index.js');
    const long = [];
    const observer = new PerformanceObserver((list) => long.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const fetched = async (path) => new Blob([await (await fetch(path)).arrayBuffer()]);
    const worker = new LoyaltyWorker();
    const ds = await worker.open(await fetched('/tests/fixtures/cdnow/CDNOW_sample.txt'), { name: 'CDNOW_sample.txt' });
    const steps = [];
    const clv = await ds.clv({ calibration_end: '1997-09-30', holdout_end: '1998-06-30' }, { onProgress: ({ step }) => steps.push(step) });
    const top = await ds.clvCustomers('clv', { limit: 3 });
    const controller = new AbortController();
    let cancelled;
    try {
      await ds.clv({ calibration_end: '1997-09-30' }, { onProgress: ({ index }) => index === 1 && controller.abort(), signal: controller.signal });
    } catch (e) {
      cancelled = [e instanceof LoyaltyError, e.code];
    }
    const file = await ds.export({ cn_segment: 'important_value' }, 'xlsx');
    let refused;
    try {
      await worker.open(await fetched('/tests/fixtures/exports/tmall_no_customer.csv'), { name: 'tmall_no_customer.csv' });
    } catch (e) {
      refused = [e instanceof LoyaltyError, e.code, e.columns?.length > 0];
    }
    const answers = await worker.open(await fetched('/tests/fixtures/exports/survey_r_na.csv'), { name: 'survey_r_na.csv' });
    const orders = await worker.open(await fetched('/tests/fixtures/exports/shopify_orders.csv'), { name: 'shopify_orders.csv' });
    const joined = await answers.nps({ latest: true, transactions: orders });
    await ds.free();
    let freed;
    try {
      await ds.inspect();
    } catch (e) {
      freed = e.code;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    worker.terminate();
    return { clv, steps, top, cancelled, xlsx: [file.extension, file.bytes[0], file.bytes[1], file.bytes.length], refused, joined, freed, long };
  });
  assert.deepEqual(got.steps, ['summary', 'bg_nbd', 'pareto_nbd', 'gamma_gamma', 'predicting']);
  for (const k of ['r', 'alpha', 'a', 'b']) assert.ok(Math.abs(got.clv.bgnbd[k] - want.bgnbd[k]) <= 1e-8 * Math.abs(want.bgnbd[k]), k);
  assert.equal(got.clv.customers, want.customers);
  assert.ok(Math.abs(got.clv.total_clv - want.total_clv) <= 1e-8 * want.total_clv);
  assert.equal(got.top.total, want.customers);
  assert.deepEqual(got.cancelled, [true, 'cancelled']);
  assert.deepEqual(got.xlsx.slice(0, 3), ['xlsx', 0x50, 0x4b]);
  assert.deepEqual(got.refused, [true, 'no_customer_column', true]);
  assert.deepEqual(got.joined, cli('nps', fixture('exports/survey_r_na.csv'), '--transactions', fixture('exports/shopify_orders.csv'), '--latest'));
  assert.equal(got.freed, 'no_dataset');
  assert.deepEqual(got.long, [], 'no long task on the page while the worker read and fitted');
});

test('the page used only its own server, the package in a worker, and no app code', async () => {
  assert.deepEqual(errors, []);
  assert.deepEqual(csp, []);
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(url.startsWith(`${origin}/`), `a request elsewhere: ${url}`);
  const paths = requests.map((u) => new URL(u).pathname);
  for (const p of ['/pkg/index.js', '/pkg/client.js', '/pkg/worker.js', '/pkg/wasm/loyalty_lens_bg.wasm']) {
    assert.ok(paths.includes(p), `${p} requested: ${paths.join(' ')}`);
  }
  assert.ok(!paths.some((p) => p.startsWith('/dist/') || p.startsWith('/src/')), paths.join(' '));
  // The module loaded in the worker only: the page's thread fetched the bindings, not the wasm.
  // Every worker is the package's (one per LoyaltyWorker; a terminated one can linger in the
  // list a moment, so the check is on what they are, not how many are still listed).
  const workers = page.workers();
  assert.ok(workers.length >= 1, 'a worker');
  for (const w of workers) assert.match(w.url(), /\/pkg\/worker\.js$/);
});
