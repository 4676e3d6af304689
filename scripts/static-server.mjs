// @ts-check
// A static file server for the built playground (dist/): what any static host does, plus
// the headers of dist/_headers (the isolation headers and the CSP), as Netlify and
// Cloudflare Pages send them. Used by the end-to-end tests and the benchmark;
// `--no-isolation` sends none of them, as GitHub Pages or `python3 -m http.server` would:
// the service worker's case.
//
//   node scripts/static-server.mjs [dir=dist] [port=8080] [--no-isolation]

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const root = resolve(args[0] ?? 'dist');
const port = Number(args[1] ?? 8080);
const isolate = !process.argv.includes('--no-isolation');

/** @type {Record<string, string>} */
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

/**
 * _headers: a path pattern (`/*` or an exact path) at the line's start, `Name: value` lines
 * indented under it, `#` comments. Returns the headers of a path.
 * @param {string} dir
 * @returns {(path: string) => Record<string, string>}
 */
function siteHeaders(dir) {
  /** @type {{ pattern: string, headers: Record<string, string> }[]} */
  const rules = [];
  for (const line of readFileSync(join(dir, '_headers'), 'utf8').split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) rules.push({ pattern: line.trim(), headers: {} });
    else {
      const rule = rules.at(-1);
      if (!rule) throw new Error(`${join(dir, '_headers')}: a header before any path: ${line}`);
      const [name, ...value] = line.trim().split(':');
      rule.headers[name.trim()] = value.join(':').trim();
    }
  }
  return (path) =>
    Object.assign(
      {},
      ...rules
        .filter(({ pattern }) => pattern === path || (pattern.endsWith('*') && path.startsWith(pattern.slice(0, -1))))
        .map((r) => r.headers),
    );
}

/**
 * Serves `dir` on 127.0.0.1:`port` (0: a free port); resolves once it listens.
 * @param {{ dir?: string, port?: number, isolation?: boolean }} [options]
 * @returns {Promise<import('node:http').Server>}
 */
export function startServer({ dir = root, port: p = port, isolation = isolate } = {}) {
  const headersFor = siteHeaders(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      const headers = {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        ...(isolation ? headersFor(path) : {}),
      };
      res.writeHead(200, headers).end(body);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(p, '127.0.0.1', () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  // Listening on a TCP port, the address is an AddressInfo (a string only for a pipe).
  const { port: bound } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(
    `serving ${root} on http://127.0.0.1:${bound}/ ${isolate ? 'with' : 'WITHOUT'} cross-origin isolation headers`,
  );
}
