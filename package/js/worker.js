// The module worker behind LoyaltyWorker (client.js): holds the datasets it opened, by number, and
// answers each request with the Dataset method's result. A CLV run yields between its steps, so a
// cancel (or any other request) is handled while it runs.
import { open, toLoyaltyError, LoyaltyError } from './index.js';

const datasets = new Map();
const cancelled = new Set();
let nextHandle = 1;

function dataset(handle) {
  const d = datasets.get(handle);
  if (!d) throw new LoyaltyError('no_dataset', 'this dataset was freed or belongs to another worker');
  return d;
}

async function answer({ id, op, input, options, handle, method, args = [] }) {
  const progress = (p) => self.postMessage({ id, progress: p });
  switch (op) {
    case 'open': {
      const d = await open(input, { ...options, onProgress: progress });
      datasets.set(nextHandle, d);
      return [nextHandle++];
    }
    case 'call': {
      const d = dataset(handle);
      switch (method) {
        case 'nps': {
          const [opts, transactions] = args;
          return [d.nps({ ...opts, ...(transactions ? { transactions: dataset(transactions) } : {}) })];
        }
        case 'funnel':
        case 'funnelList': {
          const [members, ...rest] = args;
          return [d[method](dataset(members), ...rest)];
        }
        case 'useEvents':
          return [await d.useEvents(...args)];
        case 'followUp': {
          const [opts, rules, survey] = args;
          return [d.followUp({ ...opts, ...(survey ? { survey: dataset(survey) } : {}) }, rules)];
        }
        case 'profile': {
          const [id, opts, rules, survey] = args;
          return [d.profile(id, { ...opts, ...(survey ? { survey: dataset(survey) } : {}) }, rules)];
        }
        case 'clv': {
          const signal = { get aborted() { return cancelled.has(id); } };
          try {
            return [await d.clv(args[0], { onProgress: progress, signal })];
          } finally {
            cancelled.delete(id);
          }
        }
        case 'export':
        case 'exportActions': {
          const file = d[method](...args);
          return [file, [file.bytes.buffer]];
        }
        case 'free':
          d.free();
          datasets.delete(handle);
          return [undefined];
        case 'inspect':
        case 'rfm':
        case 'segments':
        case 'pyramid':
        case 'cohorts':
        case 'crossSell':
        case 'actions':
        case 'actionList':
        case 'winback':
        case 'clvGroups':
        case 'customers':
        case 'clvCustomers':
          return [d[method](...args)];
        default:
          throw new LoyaltyError('bad_option', `there is no method ${method}`);
      }
    }
    default:
      throw new LoyaltyError('bad_option', `unknown request ${op}`);
  }
}

self.onmessage = async ({ data }) => {
  if (data.op === 'cancel') {
    cancelled.add(data.id);
    return;
  }
  try {
    const [result, transfer = []] = await answer(data);
    self.postMessage({ id: data.id, result }, transfer);
  } catch (e) {
    const { code, message, columns } = toLoyaltyError(e);
    self.postMessage({ id: data.id, error: { code, message, columns } });
  }
};
