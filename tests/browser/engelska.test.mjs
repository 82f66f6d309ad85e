// The citizen pages in English (/en/…): no Swedish interface text outside elements marked
// lang="sv" (the browser's own HTML parser decides what is marked), the language link by
// keyboard to the Swedish twin and back, and the map page's in-place update in English (results
// as the server renders them, the address staying under /en/, English words from the script).
// axe-core at 1280 and 375 px runs on the English pages in sidor.test.mjs and mobil.test.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  EXAMPLE,
  SETTLE_MS,
  assertNoProblems,
  assertResultsMatchServer,
  keyboardSelect,
  launch,
  openPage,
  pageTypes,
  region,
  screenshot,
  tabTo,
  text,
  url,
  visit,
} from './lib.mjs';

const R = await region();
const ENGLISH = (await pageTypes()).filter((pt) => pt.lang === 'en');
const KOMMUN_NAMES = R.kommuner.map((k) => k.namn);

/// Swedish words of the service's own interface: none may stand in an English page's text
/// outside an element marked lang="sv" (data from the files is marked so).
const SWEDISH = [
  'och', 'inte', 'okänt', 'okända', 'erbjuds', 'välj', 'kommuner', 'visa', 'saknas', 'källa',
  'senast', 'bekräftad', 'täckt', 'luckor', 'ålder', 'åldrar', 'nivå', 'omgång', 'arrangör',
  'språk', 'kontakt', 'anmälan', 'grannkommuner', 'barnets', 'eller', 'för', 'som', 'med',
];

/// The words of a page that are not marked Swedish: its text and the names it gives controls and
/// regions (aria-label, title, alt, placeholder, a submit button's value), kommun names left out.
function unmarkedWords(names) {
  const root = document.documentElement.cloneNode(true);
  for (const e of root.querySelectorAll('[lang="sv"], script, style, template')) e.remove();
  const attrs = [...root.querySelectorAll('[aria-label], [title], [alt], [placeholder], input[type=submit][value]')]
    .flatMap((e) => ['aria-label', 'title', 'alt', 'placeholder', 'value'].map((a) => e.getAttribute(a) ?? ''));
  let all = `${root.textContent} ${attrs.join(' ')}`;
  for (const n of names) all = all.split(n).join(' ');
  return all.toLowerCase().match(/\p{L}+/gu) ?? [];
}

describe('engelska sidor', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('ingen svensk gränssnittstext utanför element med lang="sv"', async () => {
    const page = await openPage(browser);
    try {
      const found = [];
      for (const pt of ENGLISH) {
        await visit(page, pt.path, { status: pt.status ?? 200 });
        const words = await page.evaluate(`(${unmarkedWords})(${JSON.stringify(KOMMUN_NAMES)})`);
        assert.ok(words.length > 30, `${pt.path}: almost no English text (${words.length} words)`);
        const swedish = [...new Set(words.filter((w) => SWEDISH.includes(w)))];
        if (swedish.length) found.push(`${pt.path}: ${swedish.join(', ')}`);
      }
      assert.deepEqual(found, [], `Swedish interface words outside lang="sv" on English pages:\n  ${found.join('\n  ')}`);
      assertNoProblems(page, 'English pages');
    } finally {
      await page.close();
    }
  });

  test('språklänken: På svenska och In English med tangentbordet, till samma sida', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/en/kommun/1472?age=13');
      const link = await page.$eval('a.sprak', (a) => ({ href: a.getAttribute('href'), lang: a.lang, hreflang: a.hreflang, text: a.textContent.trim() }));
      assert.deepEqual(link, { href: '/kommun/1472?age=13', lang: 'sv', hreflang: 'sv', text: 'På svenska' }, 'the English page links its Swedish twin');
      await tabTo(page, 'a.sprak');
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/kommun/1472?age=13');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'sv');
      assert.match(await text(page, 'h2#pik-rubrik'), /^Program i Tibro för ett barn som är 13 år/);
      const back = await page.$eval('a.sprak', (a) => ({ href: a.getAttribute('href'), lang: a.lang, hreflang: a.hreflang, text: a.textContent.trim() }));
      assert.deepEqual(back, { href: '/en/kommun/1472?age=13', lang: 'en', hreflang: 'en', text: 'In English' }, 'the Swedish page links its English twin');
      await tabTo(page, 'a.sprak');
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/en/kommun/1472');
      assert.match(await text(page, 'h2#pik-rubrik'), /^Programmes in Tibro for a child aged 13/);
      // Alternates in the head name both versions.
      const alternates = await page.$$eval('link[rel=alternate]', (ls) => ls.map((l) => `${l.hreflang} ${l.getAttribute('href')}`));
      assert.deepEqual(alternates.sort(), ['en /en/kommun/1472?age=13', 'sv /kommun/1472?age=13']);
      assertNoProblems(page, 'the language link');
    } finally {
      await page.close();
    }
  });

  test('kartsidan på engelska: kommun och ålder med tangentbordet uppdaterar resultaten på plats', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/en/');
      await page.evaluate(() => {
        window.__sammaSida = true;
      });
      assert.equal(await page.$eval('form#filter', (f) => f.getAttribute('action')), '/en/');
      await tabTo(page, 'form#filter select[name="kommun"]');
      await keyboardSelect(page, 'form#filter select[name="kommun"]', '1472');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('kommun') === '1472', { timeout: SETTLE_MS });
      await tabTo(page, 'form#filter select[name="age"]');
      await keyboardSelect(page, 'form#filter select[name="age"]', '13');
      await page.waitForFunction(() => new URLSearchParams(location.search).get('age') === '13', { timeout: SETTLE_MS });
      await page.waitForFunction(() => document.querySelector('#program-i-kommunen h3')?.textContent.includes('aged 13'), { timeout: SETTLE_MS });
      const u = new URL(page.url());
      assert.equal(u.pathname, '/en/', 'the address stays English');
      assert.ok(await page.evaluate(() => window.__sammaSida), 'the page was not reloaded');
      // What the script shows is what the server renders for the same English address.
      const got = await assertResultsMatchServer(page, '/en/ by keyboard');
      assert.match(got.antal, /^15 kommuns shown: /, '#antal in English');
      assert.match(got.svar, /in Tibro for a child aged 13/, '#svar-kort in English');
      // The cards' own links (their contact links go to the organisers' sites).
      const own = got.erbjuds.filter((h) => h.startsWith('/'));
      assert.ok(own.length > 0 || !EXAMPLE, 'cards (example data)');
      for (const h of own) assert.match(h, /^\/en\/programme\/[a-z0-9-]+\?kommun=1472$/, `card link ${h} stays English`);
      assert.ok(got.rows.every((r) => r.endsWith(`/en/kommun/${r.split(':')[0]}`)), `kommun list links stay English: ${got.rows.slice(0, 2)}`);
      await screenshot(page, 'en-karta-tibro-13-på-plats');
      // The map's popup speaks English and leads to the English kommun page.
      const label = await page.evaluate(() => {
        const e = [...document.querySelectorAll('#karta .etikett')].find((x) => x.textContent.trim() === 'Skövde');
        const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      });
      await page.mouse.click(label.x, label.y);
      await page.waitForSelector('#karta .leaflet-popup');
      const popup = await page.$eval('#karta .leaflet-popup', (p) => ({
        link: p.querySelector('a[href*="/kommun/"]')?.getAttribute('href'),
        text: p.querySelector('a[href*="/kommun/"]')?.textContent,
        close: p.querySelector('.leaflet-popup-close-button')?.getAttribute('aria-label'),
      }));
      assert.deepEqual(popup, { link: '/en/kommun/1496', text: 'Everything about Skövde', close: 'Close' });
      assert.equal(await page.$eval('.leaflet-control-zoom-in', (b) => b.title), 'Zoom in');
      await page.keyboard.press('Escape');
      // Back undoes the age, still in English.
      await page.goBack();
      await page.waitForFunction(() => !new URLSearchParams(location.search).has('age'), { timeout: SETTLE_MS });
      assert.equal(new URL(page.url()).pathname, '/en/');
      await page.waitForFunction(() => !document.querySelector('#program-i-kommunen h3')?.textContent.includes('aged 13'), { timeout: SETTLE_MS });
      assertNoProblems(page, '/en/ in place');
    } finally {
      await page.close();
    }
  });

  test('en felaktig länk på engelska ger en engelsk sida', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/en/kommun/9999', { status: 404 });
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      assert.equal(await text(page, 'h1'), 'Page not found');
      assert.match(await text(page, 'p.fel'), /^There is no kommun \(municipality\) with that code/);
      assert.equal(await page.$eval('main span[lang="sv"]', (s) => s.textContent), 'kommunkod: det finns ingen kommun med koden 9999.');
      await visit(page, '/en/?age=tretton', { status: 400 });
      assert.equal(await text(page, 'h1'), 'Something in the address is not right');
      assertNoProblems(page, 'English error pages');
    } finally {
      await page.close();
    }
  });

  test('lättläst: kort svensk sida, länkad från de svenska sidorna', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      await tabTo(page, 'a[href="/lattlast"]');
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/lattlast');
      assert.equal(await text(page, 'h1'), 'Lättläst om Skaraborgskartan');
      // Short sentences: no paragraph or list item of the summary over 15 words.
      const long = await page.$$eval('.lattlast p, .lattlast li, .lattlast dd p', (ps) =>
        ps.map((p) => p.textContent.trim()).filter((t) => t.split(/\s+/).length > 15));
      assert.deepEqual(long, [], 'lättläst sentences are short');
      assertNoProblems(page, '/lattlast');
    } finally {
      await page.close();
    }
  });
});
