// The Python tab's lazy loads: the Python module (RustPython on the runtime, many MB: fetched
// once, with progress, then compiled) and the editor. Both come from the site's own folders
// (dist/python, dist/editor), resolved against the page, and neither is touched until a
// Python tab opens, or the loader says one will (www/loader.js). src/ui/lazy.rs calls these.

let python = null;
// While the load is under way: who follows it, and how far it is (a late follower is told at
// once). A caller after it ended gets the loaded module, no progress.
let underWay = false;
const following = new Set();
let progress = null;

// The loader's word that the address opens a Python tab (the same name there), with a promise
// of the page's own module having arrived: the load starts now, before the app asks, its
// download once the page's module is in.
addEventListener('pp:python-wanted', (event) => {
  const pageModule = /** @type {CustomEvent<Promise<void>>} */ (event).detail;
  loadPython(undefined, pageModule).catch(() => {
    /* the app's own request tries again and says why */
  });
});

// Fetches python/manifest.json (written by scripts/build-extras.sh: the wasm's name, which
// changes with its content, and its size), then the wasm with progress, compiled as it
// arrives, and the glue; the download waits for `before` (the page's own module, when the
// loader starts the load). Resolves to {glue, module}: what a run's workers instantiate. Every
// caller's `onProgress` follows the one load. A failed load is forgotten, so that the next
// call tries again.
export function loadPython(onProgress, before = Promise.resolve()) {
  if (!python) {
    underWay = true;
    python = load(before);
    // Once it ends, nobody is told more: a caller's callback may be gone by then (the app's
    // is dropped when its await ends).
    const ended = () => {
      underWay = false;
      following.clear();
      progress = null;
    };
    python.then(ended, () => {
      ended();
      python = null;
    });
  }
  if (onProgress && underWay) {
    following.add(onProgress);
    if (progress) onProgress(...progress);
  }
  return python;
}

function tell(...now) {
  progress = now;
  for (const f of following) f(...now);
}

async function load(before) {
  const base = new URL('python/', document.baseURI);
  const manifestUrl = new URL('manifest.json', base);
  const manifestResponse = await fetch(manifestUrl, { cache: 'no-cache' });
  if (!manifestResponse.ok) throw new Error(`${manifestUrl}: HTTP ${manifestResponse.status}`);
  const manifest = await manifestResponse.json();
  await before;
  const wasmUrl = new URL(manifest.wasm, base);
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new Error(`${wasmUrl}: HTTP ${response.status}`);
  const total = manifest.bytes;
  let received = 0;
  // Compiled as it arrives (the code section comes first): the compile is done soon after
  // the last byte, instead of starting then.
  const counted = response.body.pipeThrough(
    new TransformStream({
      transform(chunk, controller) {
        received += chunk.length;
        tell(received, total, 'downloading');
        controller.enqueue(chunk);
      },
      flush() {
        tell(received, total, 'compiling');
      },
    }),
  );
  const glue = new URL(manifest.glue, base).href;
  const [module] = await Promise.all([
    WebAssembly.compileStreaming(new Response(counted, { headers: { 'Content-Type': 'application/wasm' } })),
    fetchGlue(glue),
  ]);
  return { glue, module };
}

// The glue is imported only by the run's workers; fetched here once too (beside the module),
// so that it is in the service worker's cache as soon as the tab can run: offline after one
// visit, even if the learner never pressed Run.
async function fetchGlue(glue) {
  const glueResponse = await fetch(glue);
  if (!glueResponse.ok) throw new Error(`${glue}: HTTP ${glueResponse.status}`);
  await glueResponse.arrayBuffer();
}

let editor = null;

// The editor module (www/editor/editor.js, bundled).
export function loadEditor() {
  editor ??= import(new URL('editor/editor.js', document.baseURI).href);
  editor.catch(() => {
    editor = null;
  });
  return editor;
}
