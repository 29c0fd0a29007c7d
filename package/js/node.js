// The package in Node: the same API, the WebAssembly module read from disk (Node's fetch cannot
// read file: URLs). `import { open } from 'loyalty-lens'` picks this file in Node.
import { readFile } from 'node:fs/promises';
import { init } from './index.js';

await init(await readFile(new URL('./wasm/loyalty_lens_bg.wasm', import.meta.url)));

export * from './index.js';
