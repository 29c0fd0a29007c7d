// Trunk post-build hook (Trunk.toml [[hooks]]): finishes the privacy guarantees of the built app.
//
// 1. Content-Security-Policy: index.html declares the policy in a <meta> tag. Trunk writes one
//    inline <script type="module"> that starts the app; instead of allowing inline scripts, the
//    policy gets that script's exact SHA-256, so nothing else inline can ever run.
// 2. Service worker: sw.js is written with the list of the app's own files and a version derived
//    from their contents, so the app works offline after its first load and a new build replaces
//    the cached one whole.
//
// Runs with node (already required for the build's wasm-opt); fails the build loudly when the page
// does not look as expected, rather than shipping a page without its policy.
import { createHash } from 'node:crypto';
import { readFile, writeFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('postbuild.mjs runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)');
const here = dirname(fileURLToPath(import.meta.url));

const indexPath = join(staging, 'index.html');
let html = await readFile(indexPath, 'utf8');

const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
if (inline.length === 0) throw new Error('postbuild.mjs: trunk wrote no inline bootstrap script; check index.html');
const hashes = inline.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`);

const meta = /(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")/;
const found = html.match(meta);
if (!found) throw new Error('postbuild.mjs: index.html has no Content-Security-Policy meta tag');
if (!/script-src 'self' 'wasm-unsafe-eval'(;|$)/.test(found[2])) {
  throw new Error(`postbuild.mjs: unexpected script-src in the policy: ${found[2]}`);
}
const policy = found[2].replace(/script-src 'self' 'wasm-unsafe-eval'/, `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`);
html = html.replace(meta, `$1${policy}$3`);
await writeFile(indexPath, html);

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

const files = (await walk(staging)).filter((p) => !p.endsWith('sw.js')).sort();
const version = createHash('sha256');
for (const f of files) version.update(relative(staging, f)).update(await readFile(f));
const urls = ['./', ...files.map((f) => `./${relative(staging, f).split('\\').join('/')}`)];
const template = await readFile(join(here, 'sw.js'), 'utf8');
const sw = template
  .replace('self.__FILES__', JSON.stringify(urls))
  .replace('self.__VERSION__', JSON.stringify(version.digest('hex').slice(0, 16)));
if (sw === template) throw new Error('postbuild.mjs: www/sw.js lost its placeholders');
await writeFile(join(staging, 'sw.js'), sw);
console.log(`postbuild: CSP script hashes ${hashes.join(' ')}; sw.js caches ${urls.length} files`);
