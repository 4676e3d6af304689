// @ts-check
// A static file server for the built playground (dist/): what any static host does, plus
// the headers of dist/_headers (the isolation headers and the CSP), as Netlify and
// Cloudflare Pages send them. Used by the end-to-end tests and the benchmark;
// `--no-isolation` sends none of them, as GitHub Pages or `python3 -m http.server` would:
// the service worker's case. The benchmark's first loads (issue 18) also ask for what a real
// host and network do: bodies gzipped for a browser that accepts it (`--gzip`), and every
// response over one link of a given speed and latency (`--link=20,20`: 20 Mbit/s, 20 ms), paced
// here because Chromium's network emulation does not reach requests made by workers.
// Like those hosts, it names each body (`ETag`) and answers a request that names the body it
// has (`If-None-Match`) with 304 and no body: a file the page fetched is then one round trip
// for each worker that imports it, not one more download over the link. (Taken back once,
// when Firefox hung after the catalogue walk with it: the cache made the hang likelier, it did
// not cause it; www/sw.js says what did.)
//
//   node scripts/static-server.mjs [dir=dist] [port=8080] [--no-isolation] [--gzip] [--link=MBIT,MS]

import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { gzip as gzipCallback } from 'node:zlib';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const root = resolve(args[0] ?? 'dist');
const port = Number(args[1] ?? 8080);
const isolate = !process.argv.includes('--no-isolation');
const gzipFlag = process.argv.includes('--gzip');
const linkFlag = process.argv.find((a) => a.startsWith('--link='));
const [mbit, latency = 0] = (linkFlag?.slice('--link='.length) ?? '').split(',').map(Number);
if (linkFlag && !(mbit > 0 && latency >= 0))
  throw new Error(`--link=MBIT[,MS]: ${linkFlag} is not a speed and a latency`);
/** @type {Link | undefined} */
const linkArg = linkFlag ? { bitsPerSecond: mbit * 1e6, latencyMs: latency } : undefined;

/**
 * One network link every response crosses: its speed, and the time before a response's first
 * byte (a round trip).
 * @typedef {{ bitsPerSecond: number, latencyMs: number }} Link
 */

/** What a host compresses (the rest, images and the like, are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.wasm', '.css', '.json', '.svg']);
const CHUNK = 16 * 1024;

/**
 * Sends bodies over `link`, one shared bottleneck: each chunk leaves when the link is free,
 * whichever response it belongs to, as on a real connection's slowest hop.
 * @param {Link} link
 */
function pacedLink({ bitsPerSecond, latencyMs }) {
  const bytesPerMs = bitsPerSecond / 8 / 1000;
  let freeAt = 0;
  /**
   * @param {import('node:http').ServerResponse} res
   * @param {Buffer} body
   */
  return async (res, body) => {
    await sleep(latencyMs);
    for (let at = 0; at < body.length; at += CHUNK) {
      const chunk = body.subarray(at, at + CHUNK);
      const now = performance.now();
      freeAt = Math.max(now, freeAt) + chunk.length / bytesPerMs;
      await sleep(freeAt - now);
      if (res.destroyed) return;
      res.write(chunk);
    }
    res.end();
  };
}

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

const gzipAsync = promisify(gzipCallback);

/** @type {Map<string, string>} */
const tags = new Map();
/**
 * A body's ETag, by `key` (the file, its change time and size, and the encoding: each encoding
 * is a body of its own): hashing the Python module again on each request took 30 ms.
 * @param {string} key
 * @param {Buffer} body
 */
function tagOf(key, body) {
  let tag = tags.get(key);
  if (!tag) tags.set(key, (tag = `"${createHash('sha1').update(body).digest('base64url')}"`));
  return tag;
}

/**
 * Every compressible file of `dir`, gzipped, by path: compressed before the server listens, as
 * a host has them ready (compressing the 22 MB Python module on its first request would stall
 * that request, and every other, for a second).
 * @param {string} dir
 * @returns {Promise<Map<string, Buffer>>}
 */
async function gzipAll(dir) {
  const files = (await readdir(dir, { recursive: true, encoding: 'utf8' })).map((f) => join(dir, f));
  const compressible = files.filter((f) => COMPRESSIBLE.has(extname(f)));
  const bodies = await Promise.all(compressible.map(async (f) => gzipAsync(await readFile(f), { level: 6 })));
  return new Map(compressible.map((f, i) => [f, bodies[i]]));
}

/**
 * Serves `dir` on 127.0.0.1:`port` (0: a free port); resolves once it listens. `gzip`: bodies
 * compressed for a browser that accepts it; `link`: every response paced over one link.
 * @param {{ dir?: string, port?: number, isolation?: boolean, gzip?: boolean, link?: Link }} [options]
 * @returns {Promise<import('node:http').Server>}
 */
export async function startServer({
  dir = root,
  port: p = port,
  isolation = isolate,
  gzip = gzipFlag,
  link = linkArg,
} = {}) {
  const headersFor = siteHeaders(dir);
  const send = link ? pacedLink(link) : undefined;
  const gzipped = gzip ? await gzipAll(dir) : new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      let info = await stat(file);
      if (info.isDirectory()) info = await stat((file = join(file, 'index.html')));
      /** @type {Buffer} */
      let body = await readFile(file);
      /** @type {Record<string, string>} */
      const headers = {
        'Content-Type': types[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-cache',
        ...(isolation ? headersFor(path) : {}),
      };
      const compressed = gzipped.get(file);
      if (compressed) {
        // Either way the body depends on what the browser accepts.
        headers['Vary'] = 'Accept-Encoding';
        if (/\bgzip\b/.test(String(req.headers['accept-encoding']))) {
          body = compressed;
          headers['Content-Encoding'] = 'gzip';
        }
      }
      const etag = tagOf(`${file}|${info.mtimeMs}|${info.size}|${headers['Content-Encoding'] ?? ''}`, body);
      headers['ETag'] = etag;
      const unchanged = req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === etag);
      if (unchanged) body = Buffer.alloc(0);
      else headers['Content-Length'] = String(body.length);
      res.writeHead(unchanged ? 304 : 200, headers);
      if (send) await send(res, body);
      else res.end(body);
    } catch {
      // Once the headers went out, a failure can only end the response.
      if (res.headersSent) res.destroy();
      else res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(p, '127.0.0.1', () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startServer();
  // Listening on a TCP port, the address is an AddressInfo (a string only for a pipe).
  const { port: bound } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(
    `serving ${root} on http://127.0.0.1:${bound}/ ${isolate ? 'with' : 'WITHOUT'} cross-origin isolation headers` +
      `${gzipFlag ? ', gzipped' : ''}${linkArg ? `, over a ${mbit} Mbit/s link with ${latency} ms latency` : ''}`,
  );
}
