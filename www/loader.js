// Trunk's initializer hooks (index.html, data-initializer): say what happens while the
// module loads, and explain a failure instead of leaving a blank page. The usual failure is
// a page served without the cross-origin isolation headers: then there is no shared memory,
// and a threaded module cannot even be instantiated.

function boot() {
  return document.getElementById('boot');
}

function explainIsolation(el) {
  el.innerHTML = '';
  const p = document.createElement('p');
  p.dataset.testid = 'isolation';
  p.dataset.isolated = 'false';
  p.className = 'isolation bad';
  p.textContent =
    'This page is not cross-origin isolated, so the browser gives it no shared memory, and ' +
    'threads cannot run. Serve it with the headers "Cross-Origin-Opener-Policy: same-origin" ' +
    'and "Cross-Origin-Embedder-Policy: require-corp" (scripts/serve.sh does; on Netlify or ' +
    'Cloudflare Pages the _headers file in the build does).';
  el.appendChild(p);
}

export default function initializer() {
  return {
    onStart: () => {
      if (!self.crossOriginIsolated) explainIsolation(boot());
    },
    onProgress: () => {},
    onComplete: () => {},
    onSuccess: () => {
      const el = boot();
      if (el) el.remove();
    },
    onFailure: (error) => {
      const el = boot();
      if (!el) return;
      if (self.crossOriginIsolated) el.innerHTML = '';
      const p = document.createElement('p');
      p.dataset.testid = 'load-error';
      p.className = 'load-error';
      p.textContent = `The playground could not start: ${error}`;
      el.appendChild(p);
    },
  };
}
