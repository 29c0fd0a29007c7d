// Browser benchmarks of the built app (dist/), in headless Chromium, for `make bench`.
//
//   node bench.mjs clv FILE [--runs N]
//   node bench.mjs pipeline FILE [--runs N] [--cores N]
//   node bench.mjs duckdb FILE --www DIR [--runs N]
//   node bench.mjs repeat FILE [--runs N] [--loads N] [--idle MS] [--first OTHER]
//   node bench.mjs actions FILE [--runs N]
//
// clv: loads FILE, runs the CLV analysis N times in one page (default 5) and prints JSON with each
// run's stage times as measured in the worker with performance.now() (summary, BG/NBD,
// Pareto/NBD, Gamma-Gamma, predictions, in ms). The first run includes the WebAssembly tier-up.
//
// pipeline: N times, in a fresh page each time, chooses FILE and waits for the overview to be
// fully rendered (KPIs, pyramid, segment bars, the rules used). Prints JSON with, per run: total ms
// from the file input's change event to the frame after the overview is complete (the page's
// performance.now()); the worker's stages (read, parse, segment); the main thread's long tasks
// (count and longest, from PerformanceObserver); the peak resident memory of the browser's
// renderer processes (sampled from /proc every 25 ms), with the baseline before the file; and the
// CPU time each kind of thread used during the run (cpu_workers_ms, cpu_page_ms,
// cpu_renderer_other_ms, cpu_browser_ms, cpu_bench_ms: the two cores are shared by all of them).
//
// duckdb: serves DIR (the DuckDB-Wasm page bundled by tests/bench/run.sh) and, N times in a fresh
// page, chooses FILE and runs DuckDB-Wasm's read_csv into a table and the RFM GROUP BY with NTILE
// scores on it (tests/bench/duckdb/page.mjs); prints JSON with each run's times.
//
// actions: loads FILE, fits the CLV models once (default settings), then N times opens the Actions
// page and times it from the tab's click to the frame after its table and the win-back list are
// drawn, and the export of every customer's action (CSV) from the click to the download; prints
// JSON with the customers exported and each run's times (ms, the page's and this script's clocks).
//
// repeat: in each of N fresh pages, chooses FILE --loads times (default 3) and waits for the
// overview each time as pipeline does; prints JSON with each load's total and the worker's stages
// (what a first load pays that later ones in the same page do not). --idle MS waits that long after
// the warm-up first; --first OTHER loads the file OTHER once before them (a page already warm).
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { join, resolve } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';

const [mode, file, ...rest] = process.argv.slice(2);
const runs = Number(rest[rest.indexOf('--runs') + 1] ?? 5) || 5;
if (!['clv', 'pipeline', 'duckdb', 'repeat', 'actions'].includes(mode) || !file) {
  console.error('usage: node bench.mjs clv|pipeline|duckdb|repeat|actions FILE [--runs N] [--loads N] [--www DIR]');
  process.exit(2);
}
const repo = resolve(import.meta.dirname, '..', '..');
// --www DIR: the built files to serve (DuckDB's page, or another build of the app, e.g. one with
// function names kept for profiling); --js-flags FLAGS: V8 flags (e.g. --perf-basic-prof for perf).
const opt = (name) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : undefined);
const www = opt('--www') ? resolve(opt('--www')) : join(repo, 'dist');
const server = await startServer(www, '/bench/');
const base = `http://127.0.0.1:${server.address().port}/bench/`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    .concat(opt('--js-flags') ? [`--js-flags=${opt('--js-flags')}`] : []),
});
try {
  if (mode === 'clv') await clv();
  else if (mode === 'duckdb') await duck();
  else if (mode === 'repeat') await repeat();
  else if (mode === 'actions') await actions();
  else await pipeline();
} finally {
  await browser.close();
  server.close();
}

async function clv() {
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(base);
  await page.locator('[data-worker="ready"]').waitFor();
  await page.getByTestId('file-input').setInputFiles(resolve(file));
  await page.getByTestId('ov-customers').waitFor({ timeout: 120000 });
  await page.getByTestId('tab-clv').click();
  // The page's own fit on opening first; the runs measured are the button's.
  await page.getByTestId('clv-timings').waitFor({ timeout: 600000 });
  const stages = ['summary', 'bgnbd', 'pareto_nbd', 'gamma_gamma', 'predictions'];
  const out = [];
  for (let i = 0; i < runs; i++) {
    const before = Number(await page.getByTestId('clv-timings').getAttribute('data-runs'));
    await page.getByTestId('clv-run').click();
    await page.waitForFunction(
      (prev) => Number(document.querySelector('[data-testid="clv-timings"]')?.dataset.runs) > prev,
      before,
      { timeout: 600000 },
    );
    const ms = (await page.getByTestId('clv-timings').getAttribute('data-ms')).split(',').map(Number);
    out.push(Object.fromEntries(stages.map((s, k) => [s, ms[k]])));
  }
  console.log(JSON.stringify({ file, runs: out }));
}

/** Every process as [pid, command line] (a process that ends while it is listed is left out). */
function processes() {
  const out = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push([pid, readFileSync(`/proc/${pid}/cmdline`, 'utf8')]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

/** The process ids of Chromium's renderer processes. */
function rendererPids() {
  return processes().filter(([, cmd]) => cmd.includes('--type=renderer')).map(([pid]) => pid);
}

/** Resident memory (bytes) of the given processes. */
function rss(pids) {
  let total = 0;
  for (const pid of pids) {
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
    } catch {
      // The process ended.
    }
  }
  return total;
}

/**
 * CPU time (ms) used so far by each thread of Chromium's processes and of this script, keyed by
 * what it is: the page's workers, the page's main thread, the rest of the renderer, the rest of the
 * browser, and this benchmark itself (which shares the machine's cores with them).
 */
function threadCpu() {
  const out = {};
  for (const [pid, cmd] of processes()) {
    const self = pid === String(process.pid);
    if (!self && !cmd.includes('chromium')) continue;
    try {
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = /\((.*)\)/.exec(stat)[1];
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const kind = self ? 'bench' : !cmd.includes('--type=renderer') ? 'browser'
          : name === 'DedicatedWorker' ? 'workers' : tid === pid ? 'page' : 'renderer_other';
        out[`${kind} ${pid}/${tid}`] = (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
      }
    } catch {
      // The process or thread ended between the listing and the read.
    }
  }
  return out;
}

/** CPU time (ms) by kind of thread between two readings of threadCpu(). */
function cpuBetween(before, after) {
  const out = { cpu_workers_ms: 0, cpu_page_ms: 0, cpu_renderer_other_ms: 0, cpu_browser_ms: 0, cpu_bench_ms: 0 };
  for (const [key, ms] of Object.entries(after)) {
    out[`cpu_${key.split(' ')[0]}_ms`] += ms - (before[key] ?? 0);
  }
  return out;
}

async function duck() {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(base);
    await page.waitForFunction(() => typeof window.runDuckdb === 'function');
    await page.locator('#file').setInputFiles(resolve(file));
    out.push(await page.evaluate(() => window.runDuckdb(document.querySelector('#file').files[0])));
    await context.close();
  }
  console.log(JSON.stringify({ file, runs: out }));
}

async function pipeline() {
  const bytes = (await stat(resolve(file))).size;
  const out = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // --cores N: the page sees N cores (navigator.hardwareConcurrency), and so starts N - 1 helper
    // readers; with `taskset` pinning the browser to N cores, the scaling measurement.
    if (opt('--cores')) await (await context.newCDPSession(page)).send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: Number(opt('--cores')) });
    await page.addInitScript(() => {
      // Long tasks of the run (from the file's change event on), and of the start-up before it
      // (the page loading, the worker starting and warming up), kept apart.
      window.__longTasks = [];
      window.__startupLongTasks = [];
      window.__startupLongStarts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const run = window.__t0 !== undefined && e.startTime >= window.__t0;
          (run ? window.__longTasks : window.__startupLongTasks).push(e.duration);
          if (!run) window.__startupLongStarts.push(e.startTime);
        }
      }).observe({ type: 'longtask', buffered: true });
      // The frames (long-animation-frame entries: the scripts that ran in each, the style and
      // layout they forced), to say what each start-up long task was.
      window.__frames = [];
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            const scripts = e.scripts.map((s) => ({ invoker: s.invokerType + ' ' + s.invoker, ms: s.duration, layout: s.forcedStyleAndLayoutDuration }));
            window.__frames.push({ start: e.startTime, end: e.startTime + e.duration, scripts });
          }
        }).observe({ type: 'long-animation-frame', buffered: true });
      } catch { /* a browser without them: the long tasks are counted, not named */ }
      window.addEventListener('change', () => { window.__t0 = performance.now(); window.__longTasks = []; }, true);
      // First render: from navigation to the app's page drawn with its file input (the frame after
      // it is in the DOM); ready: the worker has started.
      const seen = new MutationObserver(() => {
        if (!window.__rendering && document.querySelector('[data-testid="file-input"]')) {
          window.__rendering = true;
          requestAnimationFrame(() => { window.__firstRender = performance.now(); });
        }
        if (!window.__ready && document.querySelector('[data-worker="ready"]')) window.__ready = performance.now();
        if (window.__firstRender && window.__ready) seen.disconnect();
      });
      seen.observe(document, { childList: true, subtree: true, attributes: true });
    });
    await page.goto(base);
    await page.locator('[data-worker="ready"]').waitFor();
    // The worker warms up (runs a small generated file once, see worker::warm_up) and the page
    // rehearses its answers (ui::rehearsal) while a user would be choosing a file; the run starts
    // when both are done, as it would for a person.
    await page.locator('.app[data-load-ms^="warm-up"]').waitFor();
    await page.locator('html[data-rehearsal]').waitFor({ state: 'attached' });
    const warmUp = Number((await page.locator('.app').getAttribute('data-load-ms')).split(':')[1]);
    const startup = await page.evaluate(() => ({ firstRender: window.__firstRender, ready: window.__ready }));
    // The sampler shares the machine's cores with the page: it lists the renderers once a second
    // and reads only their memory in between (scanning every process each time cost this script
    // 0.4-0.6 s of CPU in a 2 s run).
    let pids = rendererPids();
    const baseline = rss(pids);
    let peak = baseline;
    let sampling = true;
    const sampler = (async () => {
      for (let n = 1; sampling; n++) {
        if (n % 40 === 0) pids = rendererPids();
        peak = Math.max(peak, rss(pids));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    if (process.env.BENCH_TRACE) await browser.startTracing(page, { path: process.env.BENCH_TRACE, categories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-devtools.timeline'] });
    const cpuBefore = threadCpu();
    const result = await load(page);
    const cpu = cpuBetween(cpuBefore, threadCpu());
    // Long tasks are reported after they end: give the last one a moment to arrive.
    await page.waitForTimeout(200);
    const [longTasks, startupLongTasks] = await page.evaluate(() => [window.__longTasks, window.__startupLongTasks]);
    const startupKinds = await page.evaluate(startupLongTaskKinds);
    if (process.env.BENCH_TRACE) await browser.stopTracing();
    sampling = false;
    await sampler;
    out.push({
      total_ms: result.total,
      ...stagesOf(result.load),
      long_tasks: longTasks.length,
      longest_task_ms: Math.max(0, ...longTasks),
      startup_long_tasks: startupLongTasks.length,
      startup_longest_task_ms: Math.max(0, ...startupLongTasks),
      startup_long_task_kinds: startupKinds,
      first_render_ms: startup.firstRender,
      worker_ready_ms: startup.ready,
      warm_up_ms: warmUp,
      rss_baseline_bytes: baseline,
      rss_peak_bytes: peak,
      ...cpu,
    });
    await context.close();
  }
  console.log(JSON.stringify({ file, bytes, runs: out }));
}

// In the page: what each start-up long task was, from the frame it fell in — `first_render` (up
// to the app's first render), `answer` (decoding a worker's answer), `layout` (a script whose
// forced style and layout was most of it: the rehearsal's), `other`, or `unnamed` (no frame
// entry for it) — counted by kind.
function startupLongTaskKinds() {
  const kinds = { first_render: 0, answer: 0, layout: 0, other: 0, unnamed: 0 };
  for (const start of window.__startupLongStarts) {
    const frame = window.__frames.find((f) => f.start <= start + 1 && start < f.end);
    const script = frame?.scripts.reduce((a, b) => (b.ms > (a?.ms ?? -1) ? b : a), undefined);
    const kind = window.__firstRender !== undefined && start <= window.__firstRender ? 'first_render'
      : !frame ? 'unnamed'
      : script && /onmessage/.test(script.invoker) ? 'answer'
      : script && script.layout > script.ms / 2 ? 'layout'
      : 'other';
    kinds[kind] += 1;
  }
  return kinds;
}

// Chooses the file in `page` and waits for the frame after the overview is complete (KPIs, pyramid,
// rules, and the worker's timings of this load): the time from the change event and the stages.
async function load(page, chosen = file) {
  const before = await page.locator('.app').getAttribute('data-load-ms');
  await page.getByTestId('file-input').setInputFiles(resolve(chosen));
  return page.evaluate((before) => new Promise((done) => {
    const complete = () => {
      const load = document.querySelector('.app')?.getAttribute('data-load-ms');
      return document.querySelector('[data-testid="rules-used"]') && document.querySelector('[data-testid="kpis"]')
        && document.querySelector('svg.pyramid, [data-testid="ov-export-pyramid-svg"]') && load !== before && load?.includes('segment');
    };
    const finish = () => requestAnimationFrame(() => done({ total: performance.now() - window.__t0, load: document.querySelector('.app').getAttribute('data-load-ms') }));
    if (complete()) return finish();
    const observer = new MutationObserver(() => {
      if (complete()) {
        observer.disconnect();
        finish();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, attributes: true });
  }), before);
}

// The worker's stages from `data-load-ms` ("read:12.3,parse:…"), as `{read_ms: 12.3, …}` (and
// `readers`: how many read the file).
function stagesOf(text) {
  const stages = Object.fromEntries(text.split(',').map((kv) => { const [k, v] = kv.split(':'); return [k, Number(v)]; }));
  return Object.fromEntries(Object.entries(stages).map(([k, v]) => [k.endsWith('-mb') ? k.replace('-', '_') : k === 'readers' ? k : `${k}_ms`, v]));
}

// The same file chosen `--loads` times (3) in each of `--runs` fresh pages: how much faster the
// loads after the first are (what the worker's warm-up has not yet made warm).
async function repeat() {
  const loads = Number(opt('--loads') ?? 3) || 3;
  const out = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(() => window.addEventListener('change', () => { window.__t0 = performance.now(); }, true));
    await page.goto(base);
    await page.locator('.app[data-load-ms^="warm-up"]').waitFor();
    await page.locator('html[data-rehearsal]').waitFor({ state: 'attached' });
    await page.waitForTimeout(Number(opt('--idle') ?? 0));
    if (opt('--first')) { await load(page, opt('--first')); await page.waitForTimeout(500); }
    for (let k = 0; k < loads; k++) {
      const result = await load(page);
      out.push({ page: i + 1, load: k + 1, total_ms: result.total, ...stagesOf(result.load) });
    }
    await context.close();
  }
  console.log(JSON.stringify({ file, runs: out }));
}

// The Actions page after a CLV fit: how long it takes to appear, and to export every customer's
// action. A fresh page each run, so that each open is the first after its fit.
async function actions() {
  const out = [];
  let customers = 0;
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(base);
    await page.locator('[data-worker="ready"]').waitFor();
    await page.getByTestId('file-input').setInputFiles(resolve(file));
    await page.getByTestId('ov-customers').waitFor({ timeout: 120000 });
    customers = Number((await page.getByTestId('ov-customers').textContent()).replace(/[^0-9]/g, ''));
    await page.getByTestId('tab-clv').click();
    // The page fits the models on opening.
    await page.getByTestId('clv-timings').waitFor({ timeout: 600000 });
    // From the click to the frame after every action's totals and the win-back list are drawn.
    const open_ms = await page.evaluate(() => new Promise((done) => {
      const t0 = performance.now();
      const ready = () => document.querySelector('[data-testid="actions-table"] tbody tr') && document.querySelector('[data-testid="winback-table"]');
      const observer = new MutationObserver(() => {
        if (ready()) {
          observer.disconnect();
          requestAnimationFrame(() => done(performance.now() - t0));
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, attributes: true });
      document.querySelector('[data-testid="tab-actions"]').click();
    }));
    // From the click to the file saved.
    const t0 = performance.now();
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), page.getByTestId('actions-export-all').click()]);
    await download.path();
    out.push({ open_ms, export_ms: performance.now() - t0 });
    await context.close();
  }
  console.log(JSON.stringify({ file, customers, runs: out }));
}
