import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const server = await startServer('/tmp/exp', '/');
const port = server.address().port;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] });
for (let rep = 0; rep < 3; rep++) for (const mode of ['two-sync-8192-work','two-sync-16384-work','two-byob-1024-work','two-byob-4096-work','two-byob-8192-work']) {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/index.html#${mode}`);
  await page.setInputFiles('#f', '/tmp/exp/big.csv');
  await page.waitForFunction(() => window.done, null, { timeout: 60000 });
  const r = await page.evaluate(() => window.results[0]);
  console.log(mode.padEnd(16), r.total.toFixed(0), JSON.stringify(r.res.map(x => [x.readMs.toFixed(0), x.waitMs.toFixed(0), x.workMs.toFixed(0)])));
  await page.close();
}
await browser.close(); server.close();
