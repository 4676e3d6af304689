// Trunk's post_build hook (Trunk.toml): finishes the staged site before it becomes dist/.
//
// - No inline script: Trunk writes its loader (and, under `trunk serve`, its reload-on-change
//   script) inline into index.html; each moves to a file named by its content, so the
//   Content-Security-Policy can forbid inline script.
// - The Content-Security-Policy of www/_headers (the one place it is written) goes into the
//   page as a <meta> too, for hosts that send no headers (the service worker adds it to the
//   responses it serves, workers' scripts included).
// - sw.js gets the build's hash (a new build is a new service worker) and the list of files
//   to cache at install: all but the lazily loaded Python module and editor.
// - Under `trunk serve` the service worker is turned off (its cache would hide rebuilds).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error("post-build.mjs runs as Trunk's post_build hook (TRUNK_STAGING_DIR)");
const sha = (data) => createHash('sha256').update(data).digest('hex');
const indexPath = join(staging, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const serving = /new WebSocket\(/.test(html);
html = html.replace(/<script( type="module")?>([\s\S]*?)<\/script>/g, (_, type = '', body) => {
  const name = `inline-${sha(body).slice(0, 16)}.js`;
  writeFileSync(join(staging, name), body);
  return `<script${type} src="./${name}"></script>`;
});
if (/<script(?![^>]*\ssrc=)[^>]*>/.test(html)) throw new Error('index.html still has an inline script');

const headers = readFileSync(join(staging, '_headers'), 'utf8');
const csp = headers.match(/^\s*Content-Security-Policy:\s*(.+)$/m)?.[1].trim();
if (!csp) throw new Error('www/_headers has no Content-Security-Policy');
// frame-ancestors works only as a header; in a <meta> the browser ignores it, with a warning.
const metaCsp = csp
  .split(';')
  .map((d) => d.trim())
  .filter((d) => d && !d.startsWith('frame-ancestors'))
  .join('; ');
let metas = `<meta http-equiv="Content-Security-Policy" content="${metaCsp}">`;
if (serving) metas += '\n  <meta name="pp-service-worker" content="off">';
html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  ${metas}`);
writeFileSync(indexPath, html);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(staging, path));
  }
};
walk(staging);
files.sort();
const build = createHash('sha256');
for (const file of files) if (file !== 'sw.js') build.update(file).update(readFileSync(join(staging, file)));
const lazy = (file) => file.startsWith('python/') || file.startsWith('editor/');
const precache = files
  .filter((f) => !lazy(f) && f !== 'sw.js' && f !== '_headers')
  .map((f) => (f === 'index.html' ? './' : `./${f}`));
const swPath = join(staging, 'sw.js');
const sw = readFileSync(swPath, 'utf8')
  .replace("'__PP_BUILD__'", JSON.stringify(build.digest('hex').slice(0, 16)))
  .replace('__PP_PRECACHE__', JSON.stringify(precache))
  .replace("'__PP_CSP__'", JSON.stringify(csp));
writeFileSync(swPath, sw);
console.log(
  `[post-build] ${precache.length} files cached at install${serving ? '; service worker off (trunk serve)' : ''}`,
);
