// A static file server for the built app, on 127.0.0.1 only, mounting dist/ under a sub-path so the
// tests prove the build works when hosted anywhere (GitHub Pages, an intranet folder).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** The server; `server.log` lists every path requested, in order (the privacy test reads it). */
export function startServer(root, prefix) {
  const log = [];
  const server = createServer(async (req, res) => {
    log.push(req.url);
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    rel = normalize(rel).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(root, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  server.log = log;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
