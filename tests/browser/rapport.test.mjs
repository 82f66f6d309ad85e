// "Rapportera fel eller komplettera" in a real browser, on the service with a store that
// tests/browser.rs starts for the admin pages: a visitor (a browser context of its own, no
// cookie) goes from /kommun/1472 to the form and sends a report with the keyboard only; the form
// (Swedish and English, desktop and 375 px, with and without errors) and the thank-you page have
// no axe-core violations; the samordnare (SKK_SESSION_SAMORDNARE) finds the report in
// /admin/rapporter and marks it handled with the keyboard, and the e-mail address is gone.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, MOBILE, assertAxe, assertNoProblems, enterAndWait, launch, openPage, screenshot, tabTo, url, visit } from './lib.mjs';

const SAMORDNARE = process.env.SKK_SESSION_SAMORDNARE;
if (!SAMORDNARE) throw new Error('SKK_SESSION_SAMORDNARE is not set: this suite runs from tests/browser.rs (admin_pages_in_a_browser)');

/// Text no other test sends, to find this report in the queue.
const TEXT = `ABC finns i Tibro sedan hösten 2026 (webbläsartest ${Date.now()}).`;
const EMAIL = 'forälder.test@example.se';

/// A page in a browser context of its own (its own cookie jar).
async function fresh(browser, viewport) {
  const context = await browser.createBrowserContext();
  const page = await openPage(context, viewport ? { viewport } : {});
  page.closeContext = () => context.close();
  return page;
}

describe('rapportera fel eller komplettera', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('från kommunsidan med tangentbordet: formuläret, tack-sidan och kön hos samordnaren, axe utan fel', async () => {
    const page = await fresh(browser);
    try {
      await visit(page, '/kommun/1472');
      await tabTo(page, '#rapportera a', 400);
      await enterAndWait(page);
      assert.equal(page.url(), url('/rapportera?kommun=1472'));
      assert.equal(await page.$eval('html', (h) => h.lang), 'sv');
      const about = await page.$eval('.rapport-galler', (d) => d.textContent.replace(/\s+/g, ' ').trim());
      assert.match(about, /Uppgifterna om Tibro\./, about);
      await screenshot(page, 'rapport-formular');
      await assertAxe(page, '/rapportera?kommun=1472');

      await tabTo(page, '#r-text');
      await page.keyboard.type(TEXT);
      await tabTo(page, '#r-source');
      await page.keyboard.type('https://tibro.se/abc');
      await tabTo(page, '#r-email');
      await page.keyboard.type(EMAIL);
      // The trap for robots is not on the way: the next Tab is the button.
      await page.keyboard.press('Tab');
      assert.ok(await page.evaluate(() => document.activeElement.matches('form.rapport button[type="submit"]')), 'Tab skips the hidden field');
      await enterAndWait(page);
      assert.equal(page.url(), url('/rapportera/tack?kommun=1472'));
      assert.equal(await page.$eval('h1', (h) => h.textContent), 'Tack för din rapport');
      assert.ok(await page.$('main a[href="/kommun/1472"]'), 'the way back to Tibro');
      await screenshot(page, 'rapport-tack');
      await assertAxe(page, 'the thank-you page');
      assertNoProblems(page, 'the report');
    } finally {
      await page.closeContext();
    }

    const admin = await fresh(browser);
    try {
      await admin.setCookie({ name: '__Host-skk', value: SAMORDNARE, url: BASE, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
      await visit(admin, '/admin');
      assert.match(await admin.$eval('p.rapporter', (p) => p.textContent), /ny(a)? rapport(er)? från besökare/);
      await visit(admin, '/admin/rapporter');
      const id = await admin.$$eval('article.rapport', (as, text) => as.find((a) => a.textContent.includes(text))?.querySelector('h3').id, TEXT);
      assert.ok(id, 'the report is in the queue');
      const item = await admin.$eval(`#${id}`, (h) => h.closest('article').textContent.replace(/\s+/g, ' '));
      assert.ok(item.includes(EMAIL) && item.includes('https://tibro.se/abc'), item);
      assert.ok(await admin.$(`article:has(#${id}) a[href="/admin/kommun/1472"]`), 'linked to the desk');
      assert.ok(await admin.$(`article:has(#${id}) a[href="/kommun/1472"]`), 'linked to the public page');
      await screenshot(admin, 'admin-rapporter');
      await assertAxe(admin, '/admin/rapporter');

      const n = id.replace('rapport-', '');
      await tabTo(admin, `#anteckning-${n}`, 400);
      await admin.keyboard.type('Stämmer, ABC ändrad till erbjuds.');
      await tabTo(admin, `article:has(#${id}) form.hantera button`);
      await enterAndWait(admin);
      assert.equal(admin.url(), url(`/admin/rapporter?hanterad=${n}`));
      assert.match(await admin.$eval('.meddelande', (m) => m.textContent), new RegExp(`Rapport ${n} är markerad som hanterad`));
      const done = await admin.$eval(`#${id}`, (h) => h.closest('article').textContent.replace(/\s+/g, ' '));
      assert.ok(done.includes('Stämmer, ABC ändrad till erbjuds.') && !done.includes(EMAIL), done);
      assert.equal(await admin.$(`article:has(#${id}) form.hantera`), null, 'no form for a handled report');
      await screenshot(admin, 'admin-rapporter-hanterad');
      await assertAxe(admin, '/admin/rapporter after handling');
      assertNoProblems(admin, '/admin/rapporter');
    } finally {
      await admin.closeContext();
    }
  });

  test('formuläret på engelska och med fel, och i mobilbredd: axe utan fel', async () => {
    const page = await fresh(browser);
    try {
      await visit(page, '/en/report?kommun=1472&program=abc');
      assert.equal(await page.$eval('html', (h) => h.lang), 'en');
      assert.equal(await page.$eval('h1', (h) => h.textContent), 'Report an error or add information');
      await screenshot(page, 'report-form-en');
      await assertAxe(page, '/en/report');
      // Sent empty: the form again with what to correct, tied to the field.
      page.expectDocumentStatus(url('/en/report'));
      await tabTo(page, 'form.rapport button[type="submit"]');
      await enterAndWait(page);
      const seen = await page.evaluate(() => ({
        summary: document.querySelector('#felsammanfattning')?.textContent ?? '',
        links: [...document.querySelectorAll('#felsammanfattning a')].map((a) => a.getAttribute('href')),
        invalid: document.querySelector('#r-text')?.getAttribute('aria-invalid'),
        describedby: document.querySelector('#r-text')?.getAttribute('aria-describedby') ?? '',
      }));
      assert.match(seen.summary, /The report was not sent: 1 thing to correct/, JSON.stringify(seen));
      assert.deepEqual(seen.links, ['#r-text']);
      assert.equal(seen.invalid, 'true');
      assert.ok(seen.describedby.split(' ').includes('r-text-fel'), seen.describedby);
      await screenshot(page, 'report-form-en-error');
      await assertAxe(page, '/en/report with an error');
      assertNoProblems(page, '/en/report');
    } finally {
      await page.closeContext();
    }

    const phone = await fresh(browser, MOBILE);
    try {
      for (const [path, name] of [
        ['/rapportera?kommun=1472&program=abc', 'rapport-formular'],
        ['/rapportera?topic=accessibility', 'rapport-tillganglighet'],
        ['/en/report', 'report-form-en'],
      ]) {
        await visit(phone, path);
        await screenshot(phone, name);
        await assertAxe(phone, `${path} at 375 px`);
        const wide = await phone.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
        assert.equal(wide, false, `${path}: no sideways scrolling at 375 px`);
      }
      assertNoProblems(phone, 'the form at 375 px');
    } finally {
      await phone.closeContext();
    }
  });
});
