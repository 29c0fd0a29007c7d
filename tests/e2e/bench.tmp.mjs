import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { join } from 'node:path';
const repo = join(process.cwd(), '..', '..');
const server = await startServer(join(repo, 'dist'), '/x/');
const base = `http://127.0.0.1:${server.address().port}/x/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
await page.goto(base);
await page.locator('[data-worker="ready"]').waitFor();
await page.getByTestId('file-input').setInputFiles(join(repo, process.argv[2]));
await page.getByTestId('ov-customers').waitFor({ timeout: 60000 });
await page.getByTestId('tab-clv').click();
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  await page.getByTestId('clv-run').click();
  await page.getByTestId('clv-progress').waitFor();
  await page.getByTestId('clv-run').waitFor({ timeout: 300000 });
  console.log('run', Date.now() - t0, 'ms:', await page.getByTestId('clv-timings').textContent());
}
await page.screenshot({ path: '/tmp/clv.png', fullPage: true });
await browser.close(); server.close();
