// A module of the standard library beyond the frozen ones (python/src/stdlib.rs), fetched at
// its first import. Synchronously: an import is a call that returns the module, and the
// interpreter runs in a worker, where a synchronous request is allowed (never on the page's
// main thread). The files lie in python/lib/ beside the module's glue, whose snippets
// (this file among them) wasm-bindgen writes to python/snippets/.

const here = import.meta.url;
const base = here.slice(0, here.lastIndexOf('/snippets/') + 1);

/**
 * The text of `lib/<path>`, or an exception saying why not.
 * @param {string} path
 * @param {string} version
 * @returns {string}
 */
export function fetchStdlibSource(path, version) {
  const request = new XMLHttpRequest();
  request.open('GET', `${base}lib/${path}?v=${version}`, false);
  try {
    request.send();
  } catch (e) {
    throw new Error(`the network failed (${e instanceof Error ? e.message : e})`);
  }
  if (request.status !== 200) throw new Error(`HTTP ${request.status} ${request.statusText}`.trim());
  return request.responseText;
}
