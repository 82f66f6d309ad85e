// Every page type, in Swedish and (the citizen pages) in English: loads cleanly (no console
// errors, no failed or outside requests), has the common frame (lang, skip link, main, footer
// links, example banner, CSP), has no axe-core
// violations (WCAG 2.1 A/AA and best practice, desktop width, with the page's script run), works
// without JavaScript; screenshots at desktop size. The phone size is in mobil.test.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  AXE_TAGS,
  DESKTOP,
  EXAMPLE,
  activeDescription,
  assertNoProblems,
  axe,
  fetchText,
  formatViolations,
  launch,
  openPage,
  pageTypes,
  screenshot,
  text,
  visit,
} from './lib.mjs';

const PAGES = await pageTypes();

describe('sidor', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const pt of PAGES) {
    // One load per page at desktop size, three checks on it: the common frame, axe-core, and a
    // clean browser console/network.
    test(`${pt.name}: ${pt.path} (1280×900)`, async (t) => {
      const page = await openPage(browser, { viewport: DESKTOP });
      try {
        await visit(page, pt.path, { status: pt.status ?? 200 });
        await screenshot(page, pt.name);

        await t.test('axe-core: inga fel', async () => {
          const vs = await axe(page);
          assert.equal(vs.length, 0, `${pt.path}: ${vs.length} axe violation(s) (${AXE_TAGS.join(', ')}):\n${formatViolations(vs)}`);
        });

        await t.test('gemensam ram: lang, rubrik, main, sidfot, exempelbanner, CSP, hopplänk', async () => {
          // Headers from a plain request: the browser's may be a 304 from its cache.
          const res = await fetchText(pt.path);
          assert.match(res.headers.get('content-type') ?? '', /^text\/html/, `${pt.path}: Content-Type`);
          assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors/, `${pt.path}: Content-Security-Policy must have frame-ancestors`);
          const frame = await page.evaluate(() => ({
            lang: document.documentElement.getAttribute('lang'),
            title: document.title.trim(),
            h1: [...document.querySelectorAll('h1')].map((e) => e.textContent.trim()),
            main: document.querySelectorAll('main#innehall').length,
            mains: document.querySelectorAll('main').length,
            footerLinks: [...document.querySelectorAll('footer a')].map((a) => a.getAttribute('href')),
            banner: (() => {
              const b = document.querySelector('#exempeldata');
              return b ? { role: b.getAttribute('role'), text: b.textContent } : null;
            })(),
            bodyClass: document.body.className,
            hopp: [...document.querySelectorAll('a.hopp')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim() })),
          }));
          const lang = pt.lang ?? 'sv';
          assert.equal(frame.lang, lang, `${pt.path}: <html lang>`);
          assert.ok(frame.title.length > 0, `${pt.path}: empty <title>`);
          assert.equal(frame.h1.length, 1, `${pt.path}: exactly one h1, found ${JSON.stringify(frame.h1)}`);
          assert.equal(frame.main, 1, `${pt.path}: one <main id="innehall"> (found ${frame.mains} <main>)`);
          if (EXAMPLE) {
            assert.ok(frame.banner, `${pt.path}: example data, but no #exempeldata banner`);
            assert.equal(frame.banner.role, 'note', `${pt.path}: #exempeldata role`);
            assert.match(frame.banner.text, lang === 'en' ? /Example data/ : /Exempeldata/, `${pt.path}: #exempeldata text`);
          } else {
            assert.equal(frame.banner, null, `${pt.path}: real data, but an #exempeldata banner`);
          }
          if (pt.embed) {
            assert.match(frame.bodyClass, /\binbaddad\b/, `${pt.path}: body class "inbaddad"`);
          } else {
            for (const href of lang === 'en' ? ['/en/about', '/en/accessibility'] : ['/om', '/tillganglighet']) {
              assert.ok(frame.footerLinks.includes(href), `${pt.path}: footer link to ${href} (footer links: ${JSON.stringify(frame.footerLinks)})`);
            }
          }

          // Skip link: the first thing Tab reaches, visible when focused, and it leads somewhere.
          assert.ok(frame.hopp.length >= 1, `${pt.path}: no skip link a.hopp`);
          await page.keyboard.press('Tab');
          const first = await activeDescription(page);
          assert.ok(await page.evaluate(() => document.activeElement?.matches('a.hopp')), `${pt.path}: first Tab should focus a.hopp, focused ${first}`);
          const hopp = await page.evaluate(() => {
            const a = document.activeElement;
            const r = a.getBoundingClientRect();
            return { text: a.textContent.trim(), href: a.getAttribute('href'), visible: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 };
          });
          assert.match(hopp.text, lang === 'en' ? /^Skip to content/ : /^Hoppa (till innehållet|förbi kartan)/, `${pt.path}: skip link text`);
          assert.ok(hopp.visible, `${pt.path}: skip link not visible when focused`);
          assert.match(hopp.href, /^#./, `${pt.path}: skip link href`);
          const target = hopp.href.slice(1);
          assert.ok(await page.$(`[id="${target}"]`), `${pt.path}: skip link target #${target} missing`);
          await page.keyboard.press('Enter');
          await page.keyboard.press('Tab');
          const after = await page.evaluate((id) => {
            const t = document.getElementById(id);
            const a = document.activeElement;
            return t.contains(a) || !!(t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
          }, target);
          assert.ok(after, `${pt.path}: after the skip link, Tab should continue at #${target}; focused ${await activeDescription(page)}`);
        });

        await t.test('inga konsolfel, misslyckade eller externa anrop', () => assertNoProblems(page, pt.path));
      } finally {
        await page.close();
      }
    });
  }

  test('/favicon.ico finns (webbläsare hämtar den själva; annars ett 404-fel i konsolen)', async () => {
    const res = await fetchText('/favicon.ico');
    assert.equal(res.status, 200, 'GET /favicon.ico');
  });

  test('alla sidor fungerar utan JavaScript', async () => {
    const page = await openPage(browser, { js: false });
    try {
      const failures = [];
      for (const pt of PAGES) {
        try {
          await visit(page, pt.path, { status: pt.status ?? 200 });
          const h1 = await text(page, 'h1');
          assert.ok(h1.length > 0, `${pt.path} without JavaScript: empty h1`);
          const main = await text(page, 'main#innehall');
          assert.ok(main.length > 40, `${pt.path} without JavaScript: main has almost no text: "${main}"`);
        } catch (e) {
          failures.push(e.message.split('\n')[0]);
        }
      }
      assert.deepEqual(failures, [], `pages without JavaScript:\n  ${failures.join('\n  ')}`);
      assertNoProblems(page, 'pages without JavaScript');
    } finally {
      await page.close();
    }
  });
});
