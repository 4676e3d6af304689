// @ts-check
// Which browsers the end-to-end tests drive, each on the built site (dist/) served by a local
// static server: Debian's Chromium through Playwright (every test), Debian's Firefox ESR
// through Puppeteer (firefox.test.mjs) and WebKitGTK through plain WebDriver (webkit.test.mjs). A test gets the site (PlaygroundSite) and its tabs as
// page objects (page.mjs); the drivers are in drivers/.

import { launch as chromium } from './drivers/playwright.mjs';
import { launch as firefox } from './drivers/puppeteer.mjs';
import { launch as webkit } from './drivers/webdriver.mjs';
import { PlaygroundSite } from './page.mjs';

export { root } from './drivers/driver.mjs';

/**
 * Chromium on the site. `isolation: false` serves dist/ without its _headers (GitHub Pages'
 * case: the service worker's path); `context` is Playwright's context options for every page
 * (e.g. serviceWorkers: 'block'); `dir` another copy of the site.
 * @param {Parameters<typeof chromium>[0]} [options]
 */
export async function launch(options) {
  return new PlaygroundSite(await chromium(options));
}

/**
 * Firefox on the site. `prefs`: Firefox preferences (e.g. 'dom.serviceWorkers.enabled': false).
 * @param {Parameters<typeof firefox>[0]} [options]
 */
export async function launchFirefox(options) {
  return new PlaygroundSite(await firefox(options));
}

/**
 * WebKitGTK (Safari's engine) on the site. `sharedMemory: false`: as Debian ships it, without
 * SharedArrayBuffer.
 * @param {Parameters<typeof webkit>[0]} [options]
 */
export async function launchWebKit(options) {
  return new PlaygroundSite(await webkit(options));
}
