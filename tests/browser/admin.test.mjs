// The editing pages under /admin in a real browser, on a service with a store: the overview, a
// kommun's overview, an edit form with an error, a conflict, the history, the catalogue and the
// staleness dashboard (a confirm with the keyboard), each with no axe-core violations; a change
// made with the keyboard only (Tab to the status radios, choose, Tab to the source, type, Tab to
// save, Enter), seen at once on the public page in the open round; the rounds pages (list,
// progress, a kommun's answers, closing) with axe; and an import into the open round (file
// chosen, then keyboard only to preview, apply and undo).
//
// tests/browser.rs starts the service with an open survey round `uppfoljning-2026` (the desk
// edits it by default; the shown round is closed), signs two people in directly in the store
// (sign-in has its own tests) and passes their session ids:
//   SKK_SESSION              a redaktör of Tibro (1472)
//   SKK_SESSION_SAMORDNARE   a samordnare

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BASE, MOBILE, assertAxe, assertNoProblems, enterAndWait, fetchText, launch, openPage, screenshot, tabTo, url, visit } from './lib.mjs';

function env(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: this suite runs from tests/browser.rs (admin_pages_in_a_browser)`);
  return v;
}

const REDAKTOR = env('SKK_SESSION');
const SAMORDNARE = env('SKK_SESSION_SAMORDNARE');

/// A page of its own browser context (its own cookie jar) signed in with `session`. The session
/// cookie is `__Host-`: Secure, path /, no Domain (Chromium takes Secure cookies on
/// http://127.0.0.1, a secure context).
async function signedIn(browser, session, viewport) {
  const context = await browser.createBrowserContext();
  const page = await openPage(context, viewport ? { viewport } : {});
  await page.setCookie({ name: '__Host-skk', value: session, url: BASE, path: '/', secure: true, httpOnly: true, sameSite: 'Lax' });
  page.closeContext = () => context.close();
  return page;
}

describe('administration', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('översikten: dina kommuner, axe utan fel', async () => {
    const page = await signedIn(browser, REDAKTOR);
    try {
      await visit(page, '/admin');
      await screenshot(page, 'admin-oversikt');
      const links = await page.$$eval('main a[href^="/admin/kommun/"]', (as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['/admin/kommun/1472'], 'a redaktör of Tibro sees Tibro only');
      const css = await page.$eval('link[rel=stylesheet]', (l) => l.getAttribute('href'));
      assert.equal(css, '/assets/style.css', 'the stylesheet under its plain (revalidated) address');
      const styled = await page.$eval('.sidhuvud', (e) => getComputedStyle(e).display);
      assert.equal(styled, 'flex', 'the stylesheet applies');
      await assertAxe(page, '/admin');
      assertNoProblems(page, '/admin');
    } finally {
      await page.closeContext();
    }
  });

  test('kommunens översikt: okänt aldrig som erbjuds inte, axe utan fel', async () => {
    const page = await signedIn(browser, REDAKTOR);
    try {
      await visit(page, '/admin/kommun/1472');
      await screenshot(page, 'admin-kommun-1472');
      const states = await page.$$eval('#program tbody td[data-label="Status"]', (tds) => tds.map((td) => td.textContent.trim()));
      const programmes = (await (await fetch(url('/api/v1/programmes'))).json()).programmes;
      assert.equal(states.length, programmes.length, 'a row per programme of the catalogue');
      // Nothing is known for Tibro in the current round yet: okänt, never "erbjuds inte".
      assert.ok(states.every((s) => s.startsWith('okänt')), `every row okänt: ${states.join(' | ')}`);
      assert.ok(await page.$('a[href="/kommun/1472"]'), 'links the public page');
      await assertAxe(page, '/admin/kommun/1472');
      assertNoProblems(page, '/admin/kommun/1472');
    } finally {
      await page.closeContext();
    }
  });

  test('ett formulär med fel: felsammanfattning, fältet markerat, det inskrivna kvar, axe utan fel', async () => {
    const page = await signedIn(browser, REDAKTOR);
    try {
      await visit(page, '/admin/kommun/1472/program/cope');
      await screenshot(page, 'admin-formular');
      await assertAxe(page, 'the edit form');
      // Keyboard only: choose a status, leave the source empty, save.
      await tabTo(page, 'input[name="status"]');
      await page.keyboard.press('Space');
      await tabTo(page, '#f-organiser');
      await page.keyboard.type('Familjecentralen i Tibro');
      page.expectDocumentStatus(url('/admin/kommun/1472/program/cope'));
      await tabTo(page, 'form.redigera button[type="submit"]');
      await enterAndWait(page);
      await screenshot(page, 'admin-formular-fel');
      const seen = await page.evaluate(() => ({
        summary: document.querySelector('#felsammanfattning')?.textContent ?? '',
        links: [...document.querySelectorAll('#felsammanfattning a')].map((a) => a.getAttribute('href')),
        invalid: document.querySelector('#f-source')?.getAttribute('aria-invalid'),
        describedby: document.querySelector('#f-source')?.getAttribute('aria-describedby') ?? '',
        error: document.querySelector('#f-source-fel')?.textContent ?? '',
        organiser: document.querySelector('#f-organiser')?.value,
        status: document.querySelector('input[name="status"]:checked')?.value,
      }));
      assert.match(seen.summary, /Ändringen sparades inte/, JSON.stringify(seen));
      assert.deepEqual(seen.links, ['#f-source']);
      assert.equal(seen.invalid, 'true');
      assert.ok(seen.describedby.split(' ').includes('f-source-fel'), seen.describedby);
      assert.match(seen.error, /Ange en källa/);
      assert.equal(seen.organiser, 'Familjecentralen i Tibro', 'what was typed is kept');
      assert.equal(seen.status, 'offered', 'the choice is kept');
      await assertAxe(page, 'the edit form with an error');
      assertNoProblems(page, 'the edit form with an error');
    } finally {
      await page.closeContext();
    }
  });

  test('med tangentbordet: Tab till statusknapparna, välj erbjuds, källa, Tab till Spara, Enter – sparat och publikt genast', async () => {
    const page = await signedIn(browser, REDAKTOR);
    try {
      await visit(page, '/admin/kommun/1472/program/abc');
      await tabTo(page, 'input[name="status"]');
      // Into the group on the first option (erbjuds), then the arrows move and choose.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.$eval('input[name="status"]:checked', (i) => i.value), 'unknown', 'arrows choose: okänt');
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowUp');
      assert.equal(await page.$eval('input[name="status"]:checked', (i) => i.value), 'offered', 'arrows choose: erbjuds');
      await tabTo(page, '#f-source');
      await page.keyboard.type('https://www.tibro.se/abc');
      await tabTo(page, 'form.redigera button[type="submit"]');
      await enterAndWait(page);
      assert.equal(new URL(page.url()).pathname, '/admin/kommun/1472', `back on the overview, not ${page.url()}`);
      const message = await page.$eval('.meddelande', (m) => m.textContent.trim());
      assert.match(message, /^Sparat: ABC .* för Tibro är nu erbjuds\.$/, message);
      await screenshot(page, 'admin-sparat');
      await assertAxe(page, 'the overview with its confirmation');
      assertNoProblems(page, 'the keyboard save');
      const pub = await fetchText('/kommun/1472?round=uppfoljning-2026');
      const row = pub.text.slice(pub.text.indexOf('href="/program/abc?kommun=1472"'));
      assert.match(row.slice(0, row.indexOf('</tr>')), /tillstand erbjuds"/, 'the public page shows it at once, in the open round');
    } finally {
      await page.closeContext();
    }
  });

  test('krock: två flikar ändrar samma uppgift, den andra får sidan med ditt, deras och ursprungligt', async () => {
    const first = await signedIn(browser, REDAKTOR);
    const second = await openPage(first.browserContext());
    try {
      await visit(first, '/admin/kommun/1472/sambu');
      await visit(second, '/admin/kommun/1472/sambu');
      // Both forms filled in before either is sent (a background tab is brought to the front
      // before it is driven: headless Chromium throttles the others).
      for (const [page, status, name] of [[first, 'active', 'Tibroteamet'], [second, 'decided', 'Andra fliken']]) {
        await page.bringToFront();
        await page.$eval(`input[name="status"][value="${status}"]`, (i) => { i.checked = true; });
        await page.$eval('#f-name', (i, v) => { i.value = v; }, name);
        await page.$eval('#f-source', (i) => { i.value = 'Protokoll från partssamverkan'; });
      }
      await first.bringToFront();
      await Promise.all([first.waitForNavigation(), first.$eval('form.redigera', (f) => f.submit())]);
      assert.equal(new URL(first.url()).pathname, '/admin/kommun/1472', 'the first save goes through');
      await second.bringToFront();
      second.expectDocumentStatus(url('/admin/kommun/1472/sambu'));
      await Promise.all([second.waitForNavigation(), second.$eval('form.redigera', (f) => f.submit())]);
      await screenshot(second, 'admin-krock');
      const headers = await second.$$eval('table.konflikt thead th', (ths) => ths.map((t) => t.textContent.trim()));
      assert.deepEqual(headers, ['Fält', 'Ditt (det du skickade)', 'Deras (nu)', 'Ursprungligt (när du öppnade)']);
      const name = await second.$eval('#f-name', (i) => i.value);
      assert.equal(name, 'Andra fliken', 'the form again, with what was typed');
      await assertAxe(second, 'the conflict page');
      assertNoProblems(second, 'the conflict page');
    } finally {
      await first.closeContext();
    }
  });

  test('historiken: vem, när, fält före → efter, ångra-knapp, axe utan fel', async () => {
    const page = await signedIn(browser, REDAKTOR);
    try {
      await visit(page, '/admin/historik');
      await screenshot(page, 'admin-historik');
      const items = await page.$$eval('li.andring', (lis) => lis.map((li) => li.textContent.replace(/\s+/g, ' ')));
      assert.ok(items.length >= 2, `the changes made above: ${items.length}`);
      assert.ok(items.some((t) => /ABC/.test(t) && /erbjuds/.test(t) && /anna@tibro\.se/.test(t)), items.join('\n'));
      assert.ok(await page.$('form.angra button'), 'a revert button');
      await assertAxe(page, '/admin/historik');
      await visit(page, '/admin/historik?kommun=1472&typ=offerings');
      await assertAxe(page, '/admin/historik filtered');
      assertNoProblems(page, '/admin/historik');
    } finally {
      await page.closeContext();
    }
  });

  test('programkatalogen (samordnaren): axe utan fel; en redaktör får 403', async () => {
    const page = await signedIn(browser, SAMORDNARE);
    try {
      await visit(page, '/admin/program');
      await screenshot(page, 'admin-katalog');
      await assertAxe(page, '/admin/program');
      await visit(page, '/admin/program/abc');
      await assertAxe(page, '/admin/program/abc');
      assertNoProblems(page, '/admin/program');
    } finally {
      await page.closeContext();
    }
    const redaktor = await signedIn(browser, REDAKTOR);
    try {
      await visit(redaktor, '/admin/program', { status: 403 });
      assert.match(await redaktor.$eval('main', (m) => m.textContent), /bara av samordnaren/);
      assert.ok(await redaktor.$('main a[href="/admin"]'), 'the 403 page leads back to the overview');
      await assertAxe(redaktor, 'the 403 page');
    } finally {
      await redaktor.closeContext();
    }
  });

  test('omgångarna (samordnaren): listan, hur långt kommunerna har kommit, en kommuns svar, stängning – axe utan fel', async () => {
    const page = await signedIn(browser, SAMORDNARE);
    try {
      for (const [path, name] of [
        ['/admin/omgangar', 'admin-omgangar'],
        ['/admin/omgangar/uppfoljning-2026', 'admin-omgang-framsteg'],
        ['/admin/omgangar/uppfoljning-2026/kommun/1472', 'admin-omgang-kommun'],
        ['/admin/omgangar/uppfoljning-2026/stang', 'admin-omgang-stang'],
      ]) {
        await visit(page, path);
        await screenshot(page, name);
        await assertAxe(page, path);
      }
      await visit(page, '/admin/omgangar');
      assert.ok(await page.$('form.redigera input[name="id"]'), 'the form for a new round');
      assert.ok(await page.$('a[href="/admin/omgangar/uppfoljning-2026/stang"]'), 'Stäng for the open round');
      await visit(page, '/admin/kommun/1472?omgang=uppfoljning-2024');
      assert.match(await page.$eval('main', (m) => m.textContent), /är stängd: svaren visas men kan inte längre ändras/);
      assert.equal(await page.$('#program a[href^="/admin/kommun/1472/program/"]'), null, 'a closed round has no edit links');
      await assertAxe(page, 'a closed round on the desk');
      assertNoProblems(page, '/admin/omgangar');
    } finally {
      await page.closeContext();
    }
  });

  test('inaktuellt: Tibros uppgifter som kan vara inaktuella, bekräftade med tangentbordet, axe utan fel', async () => {
    const page = await signedIn(browser, REDAKTOR);
    try {
      await visit(page, '/admin/inaktuellt');
      await screenshot(page, 'admin-inaktuellt');
      await assertAxe(page, '/admin/inaktuellt');
      const rows = () => page.$$eval('#kommun-1472 tbody tr', (trs) => trs.map((tr) => tr.textContent.replace(/\s+/g, ' ')));
      const before = await rows();
      assert.ok(before.some((t) => /Partssamverkan i Tibro/.test(t)), before.join('\n'));
      assert.equal(await page.$('#kommun-1496'), null, 'a redaktör of Tibro sees Tibro only');
      // Keyboard only: Tab to partssamverkan's "Bekräfta oförändrat", Enter.
      const button = '#kommun-1472 form.bekrafta:has(input[name="kind"][value="partssamverkan"]) button';
      await tabTo(page, button);
      await enterAndWait(page);
      assert.equal(new URL(page.url()).pathname, '/admin/inaktuellt', `back on the dashboard, not ${page.url()}`);
      assert.match(await page.$eval('main', (m) => m.textContent), /Bekräftat oförändrat: Partssamverkan i Tibro/);
      const after = await rows();
      assert.ok(!after.some((t) => /Partssamverkan i Tibro/.test(t)), after.join('\n'));
      await assertAxe(page, '/admin/inaktuellt after a confirm');
      assertNoProblems(page, '/admin/inaktuellt');
    } finally {
      await page.closeContext();
    }
  });

  test('mobil (375 px): sidorna ryms på bredden, tabellerna blir kort, axe utan fel', async () => {
    const page = await signedIn(browser, REDAKTOR, MOBILE);
    try {
      for (const [path, name] of [['/admin/kommun/1472', 'admin-kommun-mobil'], ['/admin/kommun/1472/program/abc', 'admin-formular-mobil'], ['/admin/historik', 'admin-historik-mobil'], ['/admin/inaktuellt', 'admin-inaktuellt-mobil']]) {
        await visit(page, path);
        await screenshot(page, name);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(wide <= 0, `${path}: ${wide} px wider than the screen`);
        await assertAxe(page, `${path} (mobil)`);
      }
      assertNoProblems(page, 'mobil');
    } finally {
      await page.closeContext();
    }
  });

  test('importen med tangentbordet: mall, uppladdning, förhandsvisning, genomför, ångra; axe utan fel', async () => {
    const page = await signedIn(browser, SAMORDNARE);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'skk-import-'));
    try {
      await visit(page, '/admin/import');
      await screenshot(page, 'admin-import');
      await assertAxe(page, '/admin/import');
      const round = await page.$eval('#f-omgang', (s) => s.value);
      assert.ok(round, 'a round to import into is chosen');
      assert.ok(await page.$(`a[href="/admin/import/mall.xlsx?omgang=${round}"]`), 'the template of the round to download');
      // A file as Excel saves it (`;`, BOM, CRLF), chosen in the file dialog.
      const file = path.join(dir, 'tibro.csv');
      await fs.writeFile(file, '\ufeffkommunkod;programkod;status;källa\r\n1472;familjeverkstan;erbjuds;Tibro kommuns webbplats\r\n1472;bygga-broar;erbjuds inte;Tibro kommuns webbplats\r\n');
      const input = await page.$('#fil');
      await input.uploadFile(file);
      // From the file input on, the keyboard only: the source, then the submit button.
      await input.focus();
      await tabTo(page, '#f-kalla');
      await page.keyboard.type('Samtal med Tibro kommun');
      await tabTo(page, 'main form[enctype] button[type=submit]');
      await enterAndWait(page);
      assert.match(page.url(), /\/admin\/import\/\d+$/);
      const main = await page.$eval('main', (m) => m.textContent);
      assert.match(main, /CSV, UTF-8 med BOM, semikolon \(;\), radslut CRLF/);
      assert.match(main, /2 nya svar/);
      await screenshot(page, 'admin-import-forhandsvisning');
      await assertAxe(page, 'the preview');
      await tabTo(page, 'form[action$="/genomfor"] button');
      await enterAndWait(page);
      const done = await page.$eval('main', (m) => m.textContent);
      assert.match(done, /Importen är genomförd/);
      await screenshot(page, 'admin-import-genomford');
      await assertAxe(page, 'after the apply');
      const kommun = await (await fetch(url('/api/v1/kommuner/1472'))).text();
      assert.match(kommun, /Tibro kommuns webbplats/, 'the public API serves the imported answer');
      await tabTo(page, 'form[action$="/angra"] button');
      await enterAndWait(page);
      assert.match(await page.$eval('main', (m) => m.textContent), /är ångrad/);
      await assertAxe(page, 'after the undo');
      assertNoProblems(page, '/admin/import');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
      await page.closeContext();
    }
  });
});
