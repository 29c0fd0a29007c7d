// A page that is not the loyalty-lens app: it uses only the `loyalty-lens` package (no Yew, no app
// code) to read a file in a worker and draw the loyalty pyramid.
import { LoyaltyWorker } from 'loyalty-lens';

const $ = (id) => document.getElementById(id);
const worker = new LoyaltyWorker();
const percent = (x) => `${(100 * x).toFixed(1)}%`;
const COLOURS = ['#7a1f5c', '#b5477f', '#e58fb3', '#f2c4d8', '#f7dde9', '#fbeef4'];

function status(text, state = 'busy') {
  $('status').textContent = text;
  $('status').dataset.state = state;
}

/** Draws the tiers as stacked trapezoids, top tier at the apex, with their customers. */
function draw(pyramid) {
  const svg = $('pyramid');
  svg.querySelectorAll('g').forEach((g) => g.remove());
  const n = pyramid.tiers.length;
  const [width, height, top] = [600, 330, 10];
  const band = (height - top) / n;
  const half = (y) => ((y - top) / (height - top)) * (width / 2);
  pyramid.tiers.forEach((tier, k) => {
    const [y0, y1] = [top + k * band, top + (k + 1) * band];
    const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    const shape = document.createElementNS('http://www.w3.org/2000/svg', 'polygon');
    const mid = width / 2;
    shape.setAttribute('points', `${mid - half(y0)},${y0} ${mid + half(y0)},${y0} ${mid + half(y1)},${y1} ${mid - half(y1)},${y1}`);
    shape.setAttribute('fill', COLOURS[k % COLOURS.length]);
    const label = document.createElementNS('http://www.w3.org/2000/svg', 'text');
    label.setAttribute('x', mid);
    label.setAttribute('y', y1 - band / 3);
    label.setAttribute('text-anchor', 'middle');
    if (k >= 2) label.setAttribute('class', 'dark');
    label.textContent = k === 0 && n > 2 ? `${tier.customers}` : `${tier.name}: ${tier.customers}`;
    g.append(shape, label);
    svg.append(g);
  });
}

function show(segments, pyramid) {
  $('summary').textContent = `${segments.customers} customers, revenue ${segments.revenue.toLocaleString('en')}, as of ${segments.as_of}.`;
  $('summary').dataset.customers = segments.customers;
  $('summary').dataset.revenue = segments.revenue;
  draw(pyramid);
  const body = $('tiers').tBodies[0];
  body.replaceChildren(
    ...pyramid.tiers.map((t) => {
      const row = body.insertRow();
      row.dataset.tier = t.name;
      row.dataset.customers = t.customers;
      row.dataset.revenue = t.revenue;
      for (const text of [t.name, t.customers, percent(t.revenue_share), t.orders_per_customer.toFixed(2), t.multiple == null ? '—' : `${t.multiple.toFixed(1)}×`]) {
        row.insertCell().textContent = text;
      }
      return row;
    }),
  );
  $('result').hidden = false;
}

let file;

async function analyse(options = {}) {
  $('ask').hidden = true;
  status(`Reading ${file.name}…`);
  try {
    const dataset = await worker.open(file, { ...options, onProgress: ({ stage, fraction }) => status(`Reading ${file.name}: ${stage} ${percent(fraction)}`) });
    const [segments, pyramid] = [await dataset.segments(), await dataset.pyramid()];
    await dataset.free();
    show(segments, pyramid);
    status(`${file.name}: done.`, 'done');
  } catch (e) {
    // A file that does not say which column is the customer: ask, do not guess.
    if (e.code === 'no_customer_column' && e.columns) {
      $('customer').replaceChildren(...e.columns.map((c) => new Option(c, c)));
      $('ask').hidden = false;
    }
    status(`${file.name}: ${e.message} (${e.code})`, 'failed');
  }
}

$('file').addEventListener('change', () => {
  [file] = $('file').files;
  if (file) analyse();
});
$('use').addEventListener('click', () => analyse({ map: { customer_id: $('customer').value } }));
