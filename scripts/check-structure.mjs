// Checks what the compiler cannot, from the source alone. Between crates, layering is the
// compiler's (README, "How it is built": a crate that reaches up makes a cycle of crates, which
// does not build); inside one crate, modules could still depend on each other in a circle. So,
// in every crate of the workspace (crates/*/src, the playground's src) and in the Python
// module (python/src):
//
// 1. No cycles between modules: neither between a crate's top-level modules nor between the
//    sibling modules inside one of them. A module depends on another if any of its files names
//    it (`crate::x`, `super::x`, or `x::` after `use super::{...}`); the graph and any cycle
//    are printed.
// 2. Only the platform and web crates and the playground's `ui` know they are in a browser:
//    `target_arch` appears in no other file, but for a crate root's module declarations.
//
// Usage: node scripts/check-structure.mjs [src-dir...]; exits 1 on a violation.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const trees =
  process.argv.length > 2
    ? process.argv.slice(2)
    : [
        ...readdirSync(join(root, 'crates')).map((c) => join(root, 'crates', c, 'src')),
        join(root, 'src'),
        join(root, 'python', 'src'),
      ].filter((dir) => existsSync(dir));
// Whole crates that are the browser's, and modules of the playground that are.
const BROWSER_CRATES = ['crates/platform/src', 'crates/web/src'].map((dir) => join(root, dir));
const BROWSER_MODULES = ['ui'];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.rs') ? [path] : [];
  });
}

// The module path of a file: src/a/b.rs and src/a/b/mod.rs are [a, b]; src/lib.rs is [].
function modulePath(src, file) {
  const parts = relative(src, file).split(sep);
  const last = parts.pop().replace(/\.rs$/, '');
  if (last !== 'mod' && last !== 'lib') parts.push(last);
  return parts;
}

// Paths a file names, as module paths from the crate root. Comments and strings are dropped
// first, so a word in a doc comment is no dependency.
function namedPaths(text, self) {
  const code = text.replace(/\/\/.*$/gm, '').replace(/"(?:[^"\\]|\\.)*"/g, '""');
  const out = [];
  // `crate::a::b`, and the heads of a `crate::{a::b, c}` group.
  for (const m of code.matchAll(/\bcrate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)/g)) out.push(m[1].split('::'));
  for (const m of code.matchAll(/\bcrate::\{([^}]*)\}/g)) {
    for (const item of m[1].split(',')) {
      const head = item
        .trim()
        .split('::')
        .filter((p) => /^[a-z_][a-z0-9_]*$/.test(p));
      if (head.length) out.push(head);
    }
  }
  // `super::a` (from a::b's file: the crate's `a`'s sibling... resolved against `self`).
  for (const m of code.matchAll(/\b((?:super::)+)((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)/g)) {
    const ups = m[1].split('::').length - 1;
    const base = self.slice(0, Math.max(0, self.length - ups));
    out.push([...base, ...m[2].split('::')]);
  }
  return out;
}

function findCycle(graph) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return null;
}

let failed = false;
for (const src of trees) {
  if (checkTree(src)) failed = true;
}
if (failed) process.exit(1);
console.log(
  `${trees.length} crates: no cycles between modules; target_arch only in the platform and web crates and ui`,
);

function checkTree(src) {
  let failed = false;
  const modules = files(src).map((file) => ({ file, path: modulePath(src, file), text: readFileSync(file, 'utf8') }));
  const known = new Set(modules.map((m) => m.path.join('::')));

  // Edges at one level: between the children of `parent` (a module path).
  function edges(parent) {
    const graph = new Map();
    for (const m of modules) {
      if (m.path.length <= parent.length || parent.some((p, i) => m.path[i] !== p)) continue;
      const from = m.path[parent.length];
      if (!graph.has(from)) graph.set(from, new Set());
      for (const path of namedPaths(m.text, m.path)) {
        if (path.length <= parent.length || parent.some((p, i) => path[i] !== p)) continue;
        const to = path[parent.length];
        if (to !== from && known.has([...parent, to].join('::'))) graph.get(from).add(to);
      }
    }
    return graph;
  }

  const crate = relative(root, src);
  const parents = [[], ...[...known].filter(Boolean).map((k) => k.split('::'))];
  for (const parent of parents) {
    const graph = edges(parent);
    if (graph.size < 2) continue;
    const cycle = findCycle(graph);
    const name = parent.length ? `${crate}: ${parent.join('::')}` : crate;
    if (parent.length === 0) {
      console.log(`module graph (${name}):`);
      for (const [from, to] of [...graph].sort())
        console.log(`  ${from} -> ${[...to].sort().join(', ') || '(nothing)'}`);
    }
    if (cycle) {
      failed = true;
      console.log(`CYCLE in ${name}: ${cycle.join(' -> ')}`);
    }
  }

  if (BROWSER_CRATES.includes(src)) return failed;
  for (const m of modules) {
    if (BROWSER_MODULES.includes(m.path[0])) continue;
    const lines = m.text.split('\n');
    lines.forEach((line, i) => {
      if (!line.includes('target_arch')) return;
      // A crate root declares its browser-only modules and the wasm-only feature gate.
      if (m.path.length === 0 && /^\s*(#!?\[cfg(_attr)?\(|pub use|mod |pub mod )/.test(line)) return;
      failed = true;
      console.log(
        `target_arch outside the browser's crates and ui: ${relative(root, m.file)}:${i + 1}: ${line.trim()}`,
      );
    });
  }
  return failed;
}
