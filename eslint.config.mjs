// ESLint for every JavaScript file of the project (`npm run lint:js`): the page's own scripts
// (www/, the runtime's worker bootstrap), the build and benchmark scripts, and the end-to-end
// tests. Formatting is Prettier's (`npm run format:js`), not ESLint's.

import js from '@eslint/js';
import globals from 'globals';

// The end-to-end tests reach the page only through its page object (tests/e2e/page.mjs): it
// alone names the page contract's `data-testid` hooks (the catalogue's "The page contract",
// shared/catalogue.md), so that a renamed hook is one edit and a test reads in the page's own
// words. www/ is the page itself, which makes the hooks: the rule is not for it.
const testidOutsidePageObject =
  'A data-testid hook is named only in tests/e2e/page.mjs, the page object: add a method there.';

export default [
  {
    ignores: ['node_modules/', 'dist/', 'target/', 'python/vendor/', 'python/target/'],
  },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  // The page's scripts run in the browser.
  {
    files: ['www/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  // Workers: the runtime's bootstrap (also imported by the page, for startWorker(), which only
  // needs what a worker has too), the service worker and the benchmark anchors' worker.
  {
    files: ['crates/web/js/worker.js', 'www/sw.js', 'www/anchor-worker.js'],
    languageOptions: { globals: globals.worker },
  },
  {
    files: ['www/sw.js'],
    languageOptions: {
      // scripts/post-build.mjs replaces this placeholder with the build's file list (an array
      // literal) when it writes dist/sw.js; the source is never served as it is.
      globals: { __PP_PRECACHE__: 'readonly' },
    },
  },
  // Node: the scripts, the tests, this file.
  {
    files: ['scripts/**/*.mjs', 'tests/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: globals.node },
  },
  // The driver contract's page (a classic script).
  {
    files: ['tests/e2e/fixtures/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
  // The page object, the drivers and the drivers' own test hand functions to the browser
  // (evaluate, evalAll, waitForFunction): those run in the page, with its globals.
  {
    files: ['tests/e2e/page.mjs', 'tests/e2e/drivers/*.mjs', 'tests/e2e/drivers.test.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['tests/**/*.mjs', 'scripts/**/*.mjs'],
    ignores: ['tests/e2e/page.mjs'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'Literal[value=/data-testid/]', message: testidOutsidePageObject },
        { selector: 'TemplateElement[value.raw=/data-testid/]', message: testidOutsidePageObject },
        { selector: 'MemberExpression[property.name="testid"]', message: testidOutsidePageObject },
      ],
    },
  },
];
