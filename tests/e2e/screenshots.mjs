// `make screenshots`: every page of the built app (dist/) on the sample data, at 1440 and 360 px,
// in English and in Chinese, as docs/screenshots/<lang>-<width>-<page>.png (the top of each page,
// one screen high: what a user sees first), and the first-run tour as <lang>-<width>-tour.png.
// Needs fonts-noto-cjk for the Chinese pages.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const out = process.env.OUT ?? join(repo, 'docs', 'screenshots');
const PAGES = ['overview', 'data', 'segments', 'lifecycle', 'pyramid', 'clv', 'actions', 'nps'];

await mkdir(out, { recursive: true });
const server = await startServer(join(repo, 'dist'), '/');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']]) {
    for (const width of [1440, 360]) {
      const context = await browser.newContext({ locale, viewport: { width, height: width > 400 ? 900 : 780 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await page.goto(base);
      await page.locator('[data-worker="ready"]').waitFor({ state: 'attached', timeout: 30_000 });
      await page.getByTestId('sample').click();
      await page.getByTestId('ov-customers').waitFor({ timeout: 60_000 });
      // The first-run tour as a new user meets it, then closed for the pages' own shots.
      await page.getByTestId('tour').waitFor();
      await page.screenshot({ path: join(out, `${lang}-${width}-tour.png`) });
      await page.getByTestId('tour-close').click();
      for (const name of PAGES) {
        await page.getByTestId(`tab-${name}`).click();
        await page.locator(`[data-testid="tab-${name}"].active`).waitFor();
        // The CLV page fits the models on opening.
        if (name === 'clv') await page.getByTestId('clv-models').waitFor({ timeout: 120_000 });
        // Charts settle after their data arrives; the page scrolled to its tabs.
        await page.waitForTimeout(400);
        await page.getByTestId(`tab-${name}`).scrollIntoViewIfNeeded();
        await page.evaluate(() => window.scrollTo(0, 0));
        const file = join(out, `${lang}-${width}-${name}.png`);
        await page.screenshot({ path: file });
        console.log(file);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
