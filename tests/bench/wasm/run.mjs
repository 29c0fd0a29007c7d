// Runs the timing program (tests/bench/wasm) in Node's V8 through WASI:
//   node run.mjs PROGRAM.wasm FILE [RUNS] [read|split|segment]
// FILE's directory is the program's /data. Incremental marking is off (`make wasm-timing` passes
// --no-incremental-marking): Node 20's V8 can abort in a collection while WebAssembly memory grows.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import { basename, dirname, resolve } from 'node:path';

const [program, file, ...rest] = process.argv.slice(2);
if (!program || !file) {
  console.error('usage: node run.mjs PROGRAM.wasm FILE [RUNS] [read|split|segment]');
  process.exit(2);
}
const wasi = new WASI({
  version: 'preview1',
  args: ['timing', `/data/${basename(file)}`, ...rest],
  preopens: { '/data': dirname(resolve(file)) },
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(program));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
