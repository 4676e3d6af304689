// The Python tab's lazy loads: the Python module (RustPython on the runtime, many MB: fetched
// once, with progress, then compiled) and the editor. Both come from the site's own folders
// (dist/python, dist/editor), resolved against the page, and neither is touched until a
// Python tab opens. src/web/python.rs calls these.

let python = null;

// Fetches python/manifest.json (written by scripts/build-extras.sh: the wasm's name, which
// changes with its content, and its size), then the wasm with progress, compiled as it
// arrives, and the glue. Resolves to {glue, module}: what a run's workers instantiate. A failed load is forgotten,
// so that the next call tries again.
export function loadPython(onProgress) {
  python ??= (async () => {
    const base = new URL('python/', document.baseURI);
    const manifestUrl = new URL('manifest.json', base);
    const manifestResponse = await fetch(manifestUrl, { cache: 'no-cache' });
    if (!manifestResponse.ok) throw new Error(`${manifestUrl}: HTTP ${manifestResponse.status}`);
    const manifest = await manifestResponse.json();
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
          onProgress(received, total, 'downloading');
          controller.enqueue(chunk);
        },
        flush() {
          onProgress(received, total, 'compiling');
        },
      }),
    );
    const glue = new URL(manifest.glue, base).href;
    const [module] = await Promise.all([
      WebAssembly.compileStreaming(new Response(counted, { headers: { 'Content-Type': 'application/wasm' } })),
      fetchGlue(glue),
    ]);
    return { glue, module };
  })();
  python.catch(() => {
    python = null;
  });
  return python;
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
