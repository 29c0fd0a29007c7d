// Browser benchmarks of the built app (dist/), in headless Chromium, for `make bench`.
//
//   node bench.mjs clv FILE [--runs N]
//
// clv: loads FILE, runs the CLV analysis N times in one page (default 5) and prints JSON with each
// run's stage times as measured in the worker with performance.now() (summary, BG/NBD,
// Pareto/NBD, Gamma-Gamma, predictions, in ms). The first run includes the WebAssembly tier-up.
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { join, resolve } from 'node:path';

const [mode, file, ...rest] = process.argv.slice(2);
const runs = Number(rest[rest.indexOf('--runs') + 1] ?? 5) || 5;
if (mode !== 'clv' || !file) {
  console.error('usage: node bench.mjs clv FILE [--runs N]');
  process.exit(2);
}
const repo = resolve(import.meta.dirname, '..', '..');
const server = await startServer(join(repo, 'dist'), '/bench/');
const base = `http://127.0.0.1:${server.address().port}/bench/`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(base);
  await page.locator('[data-worker="ready"]').waitFor();
  await page.getByTestId('file-input').setInputFiles(resolve(file));
  await page.getByTestId('ov-customers').waitFor({ timeout: 120000 });
  await page.getByTestId('tab-clv').click();
  const stages = ['summary', 'bgnbd', 'pareto_nbd', 'gamma_gamma', 'predictions'];
  const out = [];
  for (let i = 0; i < runs; i++) {
    const before = await page.getByTestId('clv-timings').getAttribute('data-ms').catch(() => null);
    await page.getByTestId('clv-run').click();
    await page.waitForFunction(
      (prev) => {
        const el = document.querySelector('[data-testid="clv-timings"]');
        const run = document.querySelector('[data-testid="clv-run"]');
        return el && run && !run.disabled && el.getAttribute('data-ms') && el.getAttribute('data-ms') !== prev;
      },
      before,
      { timeout: 600000 },
    );
    const ms = (await page.getByTestId('clv-timings').getAttribute('data-ms')).split(',').map(Number);
    out.push(Object.fromEntries(stages.map((s, k) => [s, ms[k]])));
  }
  console.log(JSON.stringify({ file, runs: out }));
} finally {
  await browser.close();
  server.close();
}
