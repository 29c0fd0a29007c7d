import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
const dir = process.argv[2];
const server = await startServer(dir, '/');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const out = [];
for (let i = 0; i < 5; i++) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__lt = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__lt.push(Math.round(e.duration)); }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(base);
  await page.locator('.app[data-load-ms^="warm-up"]').waitFor();
  await page.waitForTimeout(400);
  out.push(await page.evaluate(() => window.__lt));
  await context.close();
}
console.log(dir, JSON.stringify(out));
await browser.close(); server.close();
