// loyalty-lens: customer analytics (RFM, segments, ABC, tiers, lifecycle, states, NPS, the loyalty
// pyramid, CLV) computed in WebAssembly on the page's own machine. Nothing is sent anywhere: the
// module makes no network request except loading its own .wasm file, and sets no globals.
//
// Every result is a plain object with the keys the `loyalty-lens` command line prints (the
// WebAssembly side returns the very JSON the CLI writes); every failure is a `LoyaltyError` with a
// stable `code`. `LoyaltyWorker` runs the same API in a Web Worker.
import initWasm, { open as openRaw, ClvRun } from './wasm/loyalty_lens.js';

import { LoyaltyError } from './errors.js';

export { LoyaltyError };

/** The `LoyaltyError` a thrown value stands for: the WebAssembly side throws an error's JSON. */
export function toLoyaltyError(e) {
  if (e instanceof LoyaltyError) return e;
  if (typeof e === 'string') {
    try {
      const { code, message, columns } = JSON.parse(e);
      return new LoyaltyError(code, message, columns);
    } catch {
      return new LoyaltyError('internal', e);
    }
  }
  if (e && typeof e === 'object' && typeof e.code === 'string' && typeof e.message === 'string') {
    return new LoyaltyError(e.code, e.message, e.columns);
  }
  // A trap in the module (a bug): the module should not be used further.
  return new LoyaltyError('internal', String(e?.message ?? e));
}

function call(f) {
  try {
    return f();
  } catch (e) {
    throw toLoyaltyError(e);
  }
}

const parsed = (json) => JSON.parse(json);

let ready;

/**
 * Loads the WebAssembly module; `open` calls it on first use. `source` may be the module's bytes,
 * a `WebAssembly.Module`, a URL or a `Response` (default: `wasm/loyalty_lens_bg.wasm` beside this
 * file; in Node the `loyalty-lens` import reads it from disk).
 */
export function init(source) {
  ready ??= initWasm(source === undefined ? undefined : { module_or_path: source }).then(() => undefined);
  return ready;
}

/** Options as the WebAssembly side takes them: `map` as `ROLE=COLUMN` texts. */
function readOptions(options) {
  const { name: _name, onProgress: _progress, map, ...rest } = options ?? {};
  const out = { ...rest };
  if (map !== undefined) {
    out.map = Array.isArray(map) ? map.map(String) : Object.entries(map).map(([role, column]) => `${role}=${column ?? ''}`);
  }
  return JSON.stringify(out);
}

/** Rules as the WebAssembly side takes them: the pyramid's `tiers` as text. */
function rulesJson(rules) {
  const { tiers, ...rest } = rules ?? {};
  const out = { ...rest };
  if (tiers !== undefined) {
    out.tiers = Array.isArray(tiers) ? tiers.map(([name, percent]) => `${name}: ${percent}`).join('\n') : String(tiers);
  }
  return JSON.stringify(out);
}

/** The bytes and name of what `open` was given. */
async function bytesOf(input, options) {
  if (input instanceof Uint8Array) return [input, options?.name ?? 'data'];
  if (input instanceof ArrayBuffer) return [new Uint8Array(input), options?.name ?? 'data'];
  if (ArrayBuffer.isView(input)) return [new Uint8Array(input.buffer, input.byteOffset, input.byteLength), options?.name ?? 'data'];
  if (typeof input === 'string') return [new TextEncoder().encode(input), options?.name ?? 'data.csv'];
  if (input && typeof input.arrayBuffer === 'function') {
    return [new Uint8Array(await input.arrayBuffer()), options?.name ?? input.name ?? 'data'];
  }
  throw new LoyaltyError('bad_option', 'open() takes a File, a Blob, an ArrayBuffer, a Uint8Array or a text');
}

/** Reads a file (detecting its format, encoding, columns and their roles) into a `Dataset`. */
export async function open(input, options = {}) {
  await init();
  const [bytes, name] = await bytesOf(input, options);
  const progress = typeof options.onProgress === 'function' ? (stage, fraction) => options.onProgress({ stage, fraction }) : undefined;
  return new Dataset(call(() => openRaw(bytes, name, readOptions(options), progress)));
}

/** Lets the event loop run (a cancel, a repaint) between the steps of a long computation. */
const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A file read, and the analyses on it. Call `free()` when done to release its memory at once. */
export class Dataset {
  #raw;

  constructor(raw) {
    this.#raw = raw;
  }

  /** The raw WebAssembly handle (for the worker's use). */
  get raw() {
    return this.#raw;
  }

  /** What was understood: format, encoding, columns, roles, rows accepted, every rejected row. */
  inspect() {
    return parsed(call(() => this.#raw.inspect()));
  }

  /** Every customer's RFM scores and segments (`loyalty-lens rfm --format json`). */
  rfm(rules = {}) {
    return parsed(call(() => this.#raw.rfm(rulesJson(rules))));
  }

  /** The whole segmentation (`loyalty-lens segments`); `customers` and `export` then use its rules. */
  segments(rules = {}) {
    return parsed(call(() => this.#raw.segments(rulesJson(rules))));
  }

  /** The loyalty pyramid (`loyalty-lens pyramid`). */
  pyramid(rules = {}) {
    return parsed(call(() => this.#raw.pyramid(rulesJson(rules))));
  }

  /** The cohort triangle (`loyalty-lens cohorts --format json`) by the rules' period. */
  cohorts(rules = {}) {
    return parsed(call(() => this.#raw.cohorts(rulesJson(rules))));
  }

  /**
   * Cross-purchase in sequence (`loyalty-lens cross-sell`): of the anchor categories' buyers, the
   * share who bought a target category within `within_days`; `rules` give the as-of date and period.
   */
  crossSell(options, rules = {}) {
    return parsed(call(() => this.#raw.cross_sell(JSON.stringify(options ?? {}), rulesJson(rules))));
  }

  /** Every customer's action under a playbook, each action's totals (`loyalty-lens actions --format json`). */
  actions(options = {}, rules = {}) {
    return parsed(call(() => this.#raw.actions(JSON.stringify(options ?? {}), rulesJson(rules))));
  }

  /** The campaign list of `options.action` (every customer with an action when none is named). */
  actionList(options = {}, rules = {}) {
    return parsed(call(() => this.#raw.action_list(JSON.stringify(options ?? {}), rulesJson(rules))));
  }

  /** The campaign list as a file: `csv` (UTF-8 with a BOM), `csv_gbk` or `xlsx`. */
  exportActions(options = {}, format = 'csv', rules = {}) {
    return file(call(() => this.#raw.export_actions(JSON.stringify(options ?? {}), rulesJson(rules), format)), format);
  }

  /** The last `clv` run's predictions by group, and the top tier's CLV multiple (`loyalty-lens clv-groups`). */
  clvGroups(rules = {}) {
    return parsed(call(() => this.#raw.clv_groups(rulesJson(rules))));
  }

  /** Win-back priorities (`loyalty-lens winback --format json`). */
  winback(options = {}, rules = {}) {
    return parsed(call(() => this.#raw.winback(JSON.stringify(options ?? {}), rulesJson(rules))));
  }

  /** NPS with its interval (`loyalty-lens nps`); with `transactions`, joined to them by customer id. */
  nps(options = {}) {
    const { transactions, ...rest } = options;
    const json = JSON.stringify(rest);
    if (transactions) return parsed(call(() => this.#raw.nps_joined(json, transactions.raw)));
    return parsed(call(() => this.#raw.nps(json)));
  }

  /** The acquisition funnel of a member or lead list (another Dataset: id, registration date, source) against these orders (`loyalty-lens funnel --members`). */
  funnel(members, options = {}, rules = {}) {
    return parsed(call(() => this.#raw.funnel(members.raw, JSON.stringify(options ?? {}), rulesJson(rules))));
  }

  /** The funnel's activation list: members who registered and `never` bought, or bought `once` (`loyalty-lens funnel --list`). */
  funnelList(members, which = 'never', rules = {}) {
    return parsed(call(() => this.#raw.funnel_list(members.raw, which, rulesJson(rules))));
  }

  /**
   * Scores every later segmentation with an engagement events file (`--events`): customer id, date,
   * event type (论坛发帖, 内测, 推荐好友 …), optionally points — a File, Blob, ArrayBuffer, Uint8Array
   * or text; `null` forgets it. Rules `event_weights` and `half_life_days` set the score,
   * `measure: 'engagement'` ranks the pyramid by it.
   */
  async useEvents(input, options = {}) {
    if (input == null) {
      call(() => this.#raw.drop_events());
      return;
    }
    const [bytes, name] = await bytesOf(input, { name: 'events.csv', ...options });
    call(() => this.#raw.use_events(bytes, name));
  }

  /** Complaints to follow up (`loyalty-lens follow-up`); `survey`, another Dataset, holds the answers when given. */
  followUp(options = {}, rules = {}) {
    const { survey, ...rest } = options ?? {};
    const json = JSON.stringify(rest);
    if (survey && survey !== this) return parsed(call(() => this.#raw.follow_up_joined(json, rulesJson(rules), survey.raw)));
    return parsed(call(() => this.#raw.follow_up(json, rulesJson(rules))));
  }

  /** One customer's story (`loyalty-lens profile`); `survey`, another Dataset, holds the answers when given. */
  profile(id, options = {}, rules = {}) {
    const { survey, ...rest } = options ?? {};
    const json = JSON.stringify(rest);
    const text = String(id ?? '');
    if (survey && survey !== this) return parsed(call(() => this.#raw.profile_joined(text, json, rulesJson(rules), survey.raw)));
    return parsed(call(() => this.#raw.profile(text, json, rulesJson(rules))));
  }

  /**
   * Fits BG/NBD, Pareto/NBD and Gamma-Gamma and predicts every customer (`loyalty-lens clv`), one
   * step at a time: `onProgress({ step, index, steps })` before each, `signal` (an AbortSignal)
   * stops it between steps with a `LoyaltyError` of code `cancelled`.
   */
  async clv(params = {}, { onProgress, signal } = {}) {
    await init();
    const run = call(() => new ClvRun(JSON.stringify(params)));
    try {
      for (let index = 0; ; index += 1) {
        if (signal?.aborted) throw new LoyaltyError('cancelled', 'the CLV run was cancelled');
        onProgress?.({ step: run.next(), index, steps: 5 });
        const done = call(() => run.advance(this.#raw));
        if (done !== undefined) return parsed(done);
        await breathe();
      }
    } finally {
      run.free();
    }
  }

  /** A page of the last CLV run's customers, highest `sort` first (`clv`, `p_alive`, `expected_purchases`). */
  clvCustomers(sort = 'clv', { offset = 0, limit = 100 } = {}) {
    return parsed(call(() => this.#raw.clv_customers(sort, offset, limit)));
  }

  /** A page of the customers passing `filter`, highest spend first, under the last `segments` rules. */
  customers(filter = 'all', { offset = 0, limit = 100 } = {}) {
    return parsed(call(() => this.#raw.customers(JSON.stringify(filter), offset, limit)));
  }

  /** Every customer passing `filter` as a file: `csv` (UTF-8 with a BOM), `csv_gbk` or `xlsx`. */
  export(filter = 'all', format = 'csv') {
    return file(call(() => this.#raw.export(JSON.stringify(filter), format)), format);
  }

  /** Releases the dataset's memory. */
  free() {
    this.#raw?.free();
    this.#raw = undefined;
  }
}

/** A file's bytes with the extension and type its format gives. */
function file(bytes, format) {
  const xlsx = format === 'xlsx';
  return {
    bytes,
    extension: xlsx ? 'xlsx' : 'csv',
    mime: xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : `text/csv;charset=${format === 'csv_gbk' ? 'gbk' : 'utf-8'}`,
  };
}

export { LoyaltyWorker } from './client.js';
