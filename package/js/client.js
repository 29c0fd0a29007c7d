// LoyaltyWorker: the package's API run in a Web Worker (worker.js), so that reading a big file or
// fitting CLV never blocks the host page. Every method is the Dataset's, made asynchronous.
import { LoyaltyError } from './errors.js';

/** Functions cannot cross to a worker: progress callbacks stay here, keyed by the request. */
function plain(options) {
  const { onProgress: _progress, signal: _signal, ...rest } = options ?? {};
  return rest;
}

/** Runs the analyses in a Web Worker (a module worker next to this file). Browsers only. */
export class LoyaltyWorker {
  #worker;
  #next = 1;
  #pending = new Map();

  /** `url` overrides where worker.js is (when a bundler moves it). */
  constructor({ url } = {}) {
    this.#worker = new Worker(url ?? new URL('./worker.js', import.meta.url), { type: 'module', name: 'loyalty-lens' });
    this.#worker.onmessage = ({ data }) => {
      const waiting = this.#pending.get(data.id);
      if (!waiting) return;
      if ('progress' in data) {
        waiting.onProgress?.(data.progress);
        return;
      }
      this.#pending.delete(data.id);
      if (data.error) waiting.reject(new LoyaltyError(data.error.code, data.error.message, data.error.columns));
      else waiting.resolve(data.result);
    };
    this.#worker.onerror = (event) => {
      const error = new LoyaltyError('worker_failed', `the worker failed: ${event.message ?? 'unknown error'}`);
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
  }

  /** Sends a request; its answer settles the promise. */
  request(op, args, { onProgress, signal, transfer = [] } = {}) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new LoyaltyError('cancelled', 'cancelled before it started'));
        return;
      }
      this.#pending.set(id, { resolve, reject, onProgress });
      signal?.addEventListener('abort', () => this.#worker.postMessage({ id, op: 'cancel' }), { once: true });
      this.#worker.postMessage({ id, op, ...args }, transfer);
    });
  }

  /** Reads a file in the worker; the file itself is read there (a `File` is not copied here). */
  async open(input, options = {}) {
    const handle = await this.request('open', { input, options: plain(options) }, { onProgress: options.onProgress });
    return new WorkerDataset(this, handle);
  }

  /** Stops the worker and drops every dataset it holds. */
  terminate() {
    this.#worker.terminate();
    const error = new LoyaltyError('terminated', 'the worker was terminated');
    for (const waiting of this.#pending.values()) waiting.reject(error);
    this.#pending.clear();
  }
}

/** A dataset held by a `LoyaltyWorker`: the `Dataset` methods, each returning a promise. */
class WorkerDataset {
  #worker;
  #handle;

  constructor(worker, handle) {
    this.#worker = worker;
    this.#handle = handle;
  }

  #ask(method, args = [], options) {
    return this.#worker.request('call', { handle: this.#handle, method, args }, options);
  }

  inspect() {
    return this.#ask('inspect');
  }

  rfm(rules = {}) {
    return this.#ask('rfm', [rules]);
  }

  segments(rules = {}) {
    return this.#ask('segments', [rules]);
  }

  pyramid(rules = {}) {
    return this.#ask('pyramid', [rules]);
  }

  cohorts(rules = {}) {
    return this.#ask('cohorts', [rules]);
  }

  crossSell(options, rules = {}) {
    return this.#ask('crossSell', [options, rules]);
  }

  /** `transactions`, when given, is another `WorkerDataset` of the same worker. */
  nps(options = {}) {
    const { transactions, ...rest } = options;
    return this.#ask('nps', [rest, transactions ? transactions.handle : null]);
  }

  /** `members` is another `WorkerDataset` of the same worker. */
  funnel(members, options = {}, rules = {}) {
    return this.#ask('funnel', [members.handle, options, rules]);
  }

  funnelList(members, which = 'never', rules = {}) {
    return this.#ask('funnelList', [members.handle, which, rules]);
  }

  /** The events file's bytes are posted to the worker (a File or Blob is read there). */
  useEvents(input, options = {}) {
    return this.#ask('useEvents', [input, options]);
  }

  /** `survey`, when given, is another `WorkerDataset` of the same worker. */
  followUp(options = {}, rules = {}) {
    const { survey, ...rest } = options ?? {};
    return this.#ask('followUp', [rest, rules, survey ? survey.handle : null]);
  }

  profile(id, options = {}, rules = {}) {
    const { survey, ...rest } = options ?? {};
    return this.#ask('profile', [id, rest, rules, survey ? survey.handle : null]);
  }

  clv(params = {}, { onProgress, signal } = {}) {
    return this.#ask('clv', [params], { onProgress, signal });
  }

  clvCustomers(sort = 'clv', page = {}) {
    return this.#ask('clvCustomers', [sort, page]);
  }

  customers(filter = 'all', page = {}) {
    return this.#ask('customers', [filter, page]);
  }

  actions(options = {}, rules = {}) {
    return this.#ask('actions', [options, rules]);
  }

  actionList(options = {}, rules = {}) {
    return this.#ask('actionList', [options, rules]);
  }

  exportActions(options = {}, format = 'csv', rules = {}) {
    return this.#ask('exportActions', [options, format, rules]);
  }

  clvGroups(rules = {}) {
    return this.#ask('clvGroups', [rules]);
  }

  winback(options = {}, rules = {}) {
    return this.#ask('winback', [options, rules]);
  }

  export(filter = 'all', format = 'csv') {
    return this.#ask('export', [filter, format]);
  }

  free() {
    return this.#ask('free');
  }

  /** The worker's number for this dataset. */
  get handle() {
    return this.#handle;
  }
}
