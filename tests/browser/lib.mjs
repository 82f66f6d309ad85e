// Shared helpers for the browser tests: the browser, a page that records problems, keyboard
// helpers, the API as the oracle, axe-core, screenshots.
//
// Environment (set by tests/browser.rs; for a manual run, start the service yourself):
//   SKK_URL         base URL of a running service, e.g. http://127.0.0.1:18400
//   SKK_DATA_KIND   real | example (which data set that service serves)
//   CHROMIUM        browser binary (default /usr/bin/chromium)
//   SKK_SCREENSHOTS directory for screenshots (default <repo>/target/screenshots)

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (tests/browser.rs sets it; see tests/browser/lib.mjs)`);
  return v;
}

export const BASE = env('SKK_URL').replace(/\/$/, '');
export const KIND = env('SKK_DATA_KIND');
if (KIND !== 'real' && KIND !== 'example') throw new Error(`SKK_DATA_KIND must be real or example, not ${KIND}`);
export const EXAMPLE = KIND === 'example';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.SKK_SCREENSHOTS || path.join(here, '..', '..', 'target', 'screenshots');

export const DESKTOP = { width: 1280, height: 900 };
export const MOBILE = { width: 375, height: 740, isMobile: true, hasTouch: true };

/// Waits for things the page's script does (fetch + re-render); generous for a busy 2-core
/// machine and a debug build of the service (only a failing test waits this long).
export const SETTLE_MS = 15000;

/// Chromium asks for /favicon.ico by itself, once per browser; sidor.test.mjs checks it once
/// instead of failing whichever test happens to come first.
const FAVICON = '/favicon.ico';

export async function launch() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: \`make test\` (tools/deps.sh test) installs Debian's chromium`);
  }
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-extensions',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=sv-SE',
    ],
    defaultViewport: DESKTOP,
  });
}

/// A page that records console errors, uncaught exceptions, failed requests, HTTP errors and
/// requests that leave the service (there is no CDN and no tile server). `page.problems()` lists
/// them; `page.expectDocumentStatus(url)` exempts a deliberate 404 document.
export async function openPage(browser, { viewport = DESKTOP, js = true } = {}) {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  await page.setJavaScriptEnabled(js);
  page.setDefaultTimeout(SETTLE_MS);
  page.setDefaultNavigationTimeout(20000);
  const problems = [];
  const allowed = new Set();
  const origin = new URL(BASE).origin;
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const loc = m.location()?.url || '';
    if (loc === origin + FAVICON) return;
    // Chromium logs the status of a deliberate 404 document as a console error.
    if (allowed.has(loc) && /status of 4\d\d/.test(m.text())) return;
    problems.push(`console error: ${m.text()}${loc ? ` (${loc})` : ''}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught exception: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A navigation away aborts requests still in flight; that is not the page's fault.
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) problems.push(`request leaves the service: ${r.method()} ${u}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !allowed.has(r.url()) && r.url() !== origin + FAVICON) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  page.problems = () => problems.slice();
  page.clearProblems = () => problems.splice(0);
  page.expectDocumentStatus = (url) => allowed.add(url);
  return page;
}

export function url(p) {
  return BASE + p;
}

/// Loads a path and asserts its status (a 304 from the browser's cache counts as 200);
/// returns the response. Waits for the network to go quiet so the page's script (map, data
/// fetches) has run.
export async function visit(page, p, { status = 200 } = {}) {
  if (status !== 200) page.expectDocumentStatus(url(p));
  const res = await page.goto(url(p), { waitUntil: 'load' });
  assert.ok(res, `no response for ${p}`);
  const got = res.status() === 304 ? 200 : res.status();
  assert.ok(Array.isArray(status) ? status.includes(got) : got === status, `GET ${p}: status ${res.status()}, expected ${status}`);
  await settle(page);
  return res;
}

/// Waits until no request has been in flight for a moment (the page's script has done its
/// fetches and drawn).
export async function settle(page) {
  await page.waitForNetworkIdle({ idleTime: 100, timeout: SETTLE_MS });
}

export function assertNoProblems(page, what) {
  const p = page.problems();
  assert.deepEqual(p, [], `${what}: ${p.length} problem(s) in the browser:\n  ${p.join('\n  ')}`);
}

// ---- the API as the oracle -------------------------------------------------------------

const apiCache = new Map();
export async function api(p) {
  if (!apiCache.has(p)) {
    const res = await fetch(url(p));
    assert.equal(res.status, 200, `GET ${p}`);
    apiCache.set(p, await res.json());
  }
  return apiCache.get(p);
}

export async function region() {
  return api('/api/v1/region');
}

export async function fetchText(p) {
  const res = await fetch(url(p));
  return { status: res.status, headers: res.headers, text: await res.text() };
}

// ---- DOM helpers -----------------------------------------------------------------------

export const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

export async function text(page, selector) {
  const el = await page.$(selector);
  assert.ok(el, `expected an element ${selector} on ${page.url()}, found none`);
  return norm(await el.evaluate((e) => e.textContent));
}

/// Computed display/visibility of the element, or null if it does not exist.
export async function shown(page, selector) {
  return page.evaluate((s) => {
    const e = document.querySelector(s);
    if (!e) return null;
    const st = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return st.display !== 'none' && st.visibility !== 'hidden' && r.width > 0 && r.height > 0;
  }, selector);
}

export async function activeDescription(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    if (!a || a === document.body) return 'body';
    const id = a.id ? `#${a.id}` : '';
    const cls = a.classList.length ? `.${[...a.classList].join('.')}` : '';
    const name = a.getAttribute('name') ? `[name=${a.getAttribute('name')}]` : '';
    const href = a.getAttribute('href') ? `[href="${a.getAttribute('href')}"]` : '';
    return `${a.tagName.toLowerCase()}${id}${cls}${name}${href}`;
  });
}

/// Presses Tab (or Shift+Tab, when the target comes before the focused element) until the
/// focused element matches `selector`. Keyboard only: fails, listing the focus path, if it is not
/// reachable in `max` presses.
export async function tabTo(page, selector, max = 120) {
  const back = await page.evaluate((s) => {
    const t = document.querySelector(s);
    const a = document.activeElement;
    if (!t || !a || a === document.body || a === t) return false;
    return !!(a.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_PRECEDING);
  }, selector);
  const path = [];
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return i;
    if (back) await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    if (back) await page.keyboard.up('Shift');
    path.push(await activeDescription(page));
  }
  assert.fail(`${selector} not reachable with ${back ? 'Shift+Tab' : 'Tab'} in ${max} presses on ${page.url()}; focus went: ${path.slice(0, 40).join(' → ')}`);
}

/// Presses Enter on the focused element and waits for the page it leads to.
export async function enterAndWait(page) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
}

/// Changes the focused <select> to `value` the way a keyboard user does: typing the start of
/// the option's text (type-ahead), and arrow keys if that does not get there.
export async function keyboardSelect(page, selector, value) {
  const opts = await page.$$eval(`${selector} option`, (os) => os.map((o) => ({ value: o.value, label: o.textContent.trim() })));
  const target = opts.find((o) => o.value === value);
  assert.ok(target, `${selector} has no option with value "${value}" (has: ${opts.map((o) => o.value).join(', ')})`);
  for (const ch of target.label) {
    if (!/[0-9A-Za-z]/.test(ch)) break;
    if ((await page.$eval(selector, (s) => s.value)) === value) return;
    await page.keyboard.type(ch);
  }
  if ((await page.$eval(selector, (s) => s.value)) === value) return;
  await arrowSelectTo(page, selector, value);
}

/// Changes a focused <select> with arrow keys until it has `value` (no opening, no mouse).
export async function arrowSelectTo(page, selector, value) {
  const opts = await page.$$eval(`${selector} option`, (os) => os.map((o) => o.value));
  assert.ok(opts.includes(value), `${selector} has no option with value "${value}" (has: ${opts.join(', ')})`);
  const now = await page.$eval(selector, (s) => s.value);
  const steps = opts.indexOf(value) - opts.indexOf(now);
  for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
  assert.equal(await page.$eval(selector, (s) => s.value), value, `${selector}: value after arrow keys`);
}

/// Opens the form's "Fler val" (details#fler-val) by keyboard, if it is closed: Tab to its
/// summary, Enter.
export async function openFlerVal(page) {
  if (await page.$eval('details#fler-val', (d) => d.open)) return;
  await tabTo(page, 'details#fler-val > summary');
  await page.keyboard.press('Enter');
  await page
    .waitForFunction(() => document.querySelector('details#fler-val').open, { timeout: 2000 })
    .catch(() => assert.fail('Enter on the summary "Fler val" should open details#fler-val'));
}

/// Today in Sweden, YYYY-MM-DD (the date the pages print).
export function todaySweden() {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

// ---- the results, as rendered by the server and as updated by the script ---------------

/// What the results show, independent of how they were produced: run in the page on a
/// document (the live one, or the server's HTML parsed with DOMParser).
export function snapshotResults(doc) {
  const t = (e) => (e ? e.textContent.replace(/\s+/g, ' ').trim() : null);
  const rows = [...doc.querySelectorAll('#kommunlista tbody tr')].map((tr) => {
    const a = tr.querySelector('td a, th a');
    return `${tr.getAttribute('data-kommun')}:${tr.getAttribute('data-klass')}:${a ? a.getAttribute('href') : '-'}`;
  });
  const hrefs = (sel) => [...doc.querySelectorAll(`${sel} a`)].map((a) => a.getAttribute('href'));
  return {
    antal: t(doc.querySelector('#antal')),
    svar: t(doc.querySelector('#svar-kort')),
    rows,
    programIKommunen: !!doc.querySelector('#program-i-kommunen'),
    erbjuds: hrefs('#erbjuds'),
    okanda: [...doc.querySelectorAll('#okanda li')].map(t),
    legend: t(doc.querySelector('#teckenforklaring')),
  };
}

export async function liveResults(page) {
  return page.evaluate(`(${snapshotResults})(document)`);
}

/// The server's rendering of `p` (no script), seen through the same snapshot.
export async function serverResults(page, p) {
  const { status, text: html } = await fetchText(p);
  assert.equal(status, 200, `GET ${p}`);
  return page.evaluate(`(${snapshotResults})(new DOMParser().parseFromString(${JSON.stringify(html)}, 'text/html'))`);
}

/// Waits until the live results equal the server's rendering of the page's current URL; returns
/// them.
export async function assertResultsMatchServer(page, what) {
  const u = new URL(page.url());
  const want = await serverResults(page, u.pathname + u.search);
  const deadline = Date.now() + SETTLE_MS;
  let got;
  do {
    got = await liveResults(page);
    if (JSON.stringify(got) === JSON.stringify(want)) return got;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  assert.deepEqual(got, want, `${what}: after the script's update, #resultat/#teckenforklaring should show what the server renders for ${u.pathname + u.search}`);
  return got;
}

// ---- axe-core ----------------------------------------------------------------------------

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function axe(page) {
  // Evaluated through DevTools, not a <script>: the page's Content-Security-Policy (rightly)
  // refuses inline scripts.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    (tags) =>
      // eslint-disable-next-line no-undef
      axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) =>
        r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
        })),
      ),
    AXE_TAGS,
  );
}

/// Fails with every axe-core violation of the page, listed.
export async function assertAxe(page, what) {
  const vs = await axe(page);
  assert.equal(vs.length, 0, `${what}: ${vs.length} axe violation(s) (${AXE_TAGS.join(', ')}):\n${formatViolations(vs)}`);
}

export function formatViolations(vs) {
  return vs
    .map(
      (v) =>
        `  [${v.impact}] ${v.id}: ${v.help}\n` +
        v.nodes.map((n) => `      ${n.target}\n        ${n.html}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`).join('\n'),
    )
    .join('\n');
}

// ---- screenshots -------------------------------------------------------------------------

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  const vp = page.viewport();
  const file = path.join(SHOTS, `${KIND}-${name}-${vp.width}x${vp.height}.png`);
  await page.screenshot({ path: file, fullPage: true, optimizeForSpeed: true });
  return file;
}

// ---- the pages every test knows ----------------------------------------------------------

/// Every page type of the contract, with the paths the tests load. Round ids come from the
/// data set (they differ between the real and the example data). `lang`: the page's language
/// (Swedish unless said).
export async function pageTypes() {
  const r = await region();
  const rounds = r.rounds.map((x) => x.id);
  const [a, b] = rounds.slice(-2);
  return [
    { name: 'karta', path: '/' },
    { name: 'karta-tibro-13', path: '/?kommun=1472&age=13' },
    { name: 'kommun-1472', path: '/kommun/1472' },
    { name: 'kommun-1471', path: '/kommun/1471' },
    { name: 'kommun-1496', path: '/kommun/1496' },
    { name: 'planera-1472', path: '/kommun/1472/planera' },
    { name: 'program-abc', path: '/program/abc' },
    { name: 'program-marte-meo', path: '/program/marte-meo' },
    // Shared links: parameters a page does not use (Facebook, newsletters) are ignored.
    { name: 'kommun-delad-lank', path: '/kommun/1472?age=13&level=universal&fbclid=IwAR0abc' },
    { name: 'program-delad-lank', path: '/program/abc?kommun=1472&utm_source=nyhetsbrev' },
    { name: 'jamfor', path: '/jamfor?kommuner=1496,1494' },
    { name: 'jamfor-omgangar', path: `/jamfor?kommuner=1496&round=${a},${b}` },
    { name: 'oversikt', path: '/oversikt' },
    { name: 'oversikt-13', path: '/oversikt?level=universal&age=13&sort=tackning' },
    { name: 'oversikt-omgangar', path: `/oversikt?round=${a},${b}&level=indicated` },
    { name: 'oversikt-delad-lank', path: '/oversikt?age=13&fbclid=IwAR0abc' },
    { name: 'lagesbild', path: '/lagesbild' },
    { name: 'om', path: '/om' },
    { name: 'tillganglighet', path: '/tillganglighet' },
    { name: '404-kommun', path: '/kommun/9999', status: 404 },
    { name: '404-program', path: '/program/finns-inte', status: 404 },
    { name: 'inbaddad-karta', path: '/?embed=1', embed: true },
    { name: 'inbaddad-tibro-13', path: '/?embed=1&kommun=1472&age=13', embed: true },
    { name: 'inbaddad-kommun', path: '/kommun/1472?embed=1', embed: true },
    // The citizen pages in English (`lang: 'en'`), and the lättläst summary.
    { name: 'en-karta', path: '/en/', lang: 'en' },
    { name: 'en-karta-tibro-13', path: '/en/?kommun=1472&age=13', lang: 'en' },
    { name: 'en-kommun-1472', path: '/en/kommun/1472', lang: 'en' },
    { name: 'en-kommun-1496', path: '/en/kommun/1496?age=13&fbclid=IwAR0abc', lang: 'en' },
    { name: 'en-program-abc-tonar', path: '/en/programme/abc-tonar?kommun=1472', lang: 'en' },
    { name: 'en-om', path: '/en/about', lang: 'en' },
    { name: 'en-tillganglighet', path: '/en/accessibility', lang: 'en' },
    { name: 'en-404-kommun', path: '/en/kommun/9999', status: 404, lang: 'en' },
    { name: 'en-inbaddad-tibro-13', path: '/en/?embed=1&kommun=1472&age=13', embed: true, lang: 'en' },
    { name: 'lattlast', path: '/lattlast' },
    { name: 'ogc-start', path: '/ogc/?f=html' },
    { name: 'ogc-samlingar', path: '/ogc/collections?f=html' },
    { name: 'ogc-objekt', path: '/ogc/collections/kommuner/items?f=html&limit=5' },
  ];
}
