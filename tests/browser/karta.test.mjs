// The map page `/`: the filter form by keyboard only (with and without JavaScript), results
// that match what the server renders for the same URL, the kommun list as a way in, the
// Tibro question, the map itself, and the phone layout.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  EXAMPLE,
  MOBILE,
  SETTLE_MS,
  api,
  arrowSelectTo,
  keyboardSelect,
  assertNoProblems,
  launch,
  liveResults,
  norm,
  openPage,
  region,
  serverResults,
  shown,
  tabTo,
  text,
  url,
  visit,
} from './lib.mjs';

const R = await region();
const PROGRAMMES = (await api('/api/v1/programmes')).programmes;
const CODES = R.kommuner.map((k) => k.kommunkod);
const DEFAULT_ROUND = R.rounds.find((r) => r.default).id;
const OTHER_ROUND = R.rounds.find((r) => !r.default).id;
const LAYERS = ['offerings', 'coverage', 'sambu', 'partssamverkan', 'adherence', 'trainings'];
const AGES = ['', 'graviditet', ...Array.from({ length: 18 }, (_, i) => String(i))];
const LEVELS = ['all', 'universal', 'selective', 'indicated'];
const PATHS = '#karta path.kommun[data-kommun]';

const sorted = (xs) => [...xs].sort();

async function mapPaths(page) {
  return page.$$eval(PATHS, (ps) =>
    ps.map((p) => {
      const r = p.getBoundingClientRect();
      return { kod: p.getAttribute('data-kommun'), w: r.width, h: r.height };
    }),
  );
}

/// The programmes for one kommun and age per the API: [offered slugs, unknown, not offered].
async function programmesFor(kod, age, level = 'all') {
  const c = await api(`/api/v1/coverage?kommun=${kod}&age=${age}&level=${level}`);
  const k = c.kommuner.find((x) => x.kommunkod === kod);
  const slug = (x) => (typeof x === 'string' ? x : x.programme);
  return {
    offered: k.programmes.offered.map(slug),
    unknown: k.programmes.unknown.map(slug),
    notOffered: k.programmes.not_offered.map(slug),
  };
}

/// #program-i-kommunen answers the question for `kod` and `age` exactly as the API does.
async function assertProgrammeAnswer(page, kod, age, level = 'all') {
  const want = await programmesFor(kod, age, level);
  const names = Object.fromEntries(PROGRAMMES.map((p) => [p.slug, p.name]));
  assert.ok(await page.$('#resultat section#program-i-kommunen'), `kommun=${kod}&age=${age}: no #resultat section#program-i-kommunen`);
  const got = await page.evaluate(() => ({
    erbjuds: [...document.querySelectorAll('#erbjuds a')].map((a) => a.getAttribute('href')),
    okanda: [...document.querySelectorAll('#okanda li')].map((li) => ({
      text: li.textContent.replace(/\s+/g, ' ').trim(),
      hrefs: [...li.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    })),
    section: document.querySelector('#program-i-kommunen').textContent.replace(/\s+/g, ' '),
  }));
  assert.deepEqual(
    sorted(got.erbjuds),
    sorted(want.offered.map((s) => `/program/${s}`)),
    `kommun=${kod}&age=${age}: links in ul#erbjuds should be exactly the offered programmes`,
  );
  for (const s of want.unknown) {
    const hit = got.okanda.some((li) => li.hrefs.includes(`/program/${s}`) || li.text.includes(names[s]));
    assert.ok(hit, `kommun=${kod}&age=${age}: "${names[s]}" (${s}) is unknown there, but not listed in ul#okanda`);
  }
  for (const s of want.notOffered) {
    assert.ok(!got.okanda.some((li) => li.hrefs.includes(`/program/${s}`)), `kommun=${kod}&age=${age}: ${s} is not offered, but listed in ul#okanda`);
  }
  for (const li of got.okanda) {
    assert.doesNotMatch(li.text, /erbjuds inte/i, `kommun=${kod}&age=${age}: an unknown programme is shown as "erbjuds inte": "${li.text}"`);
  }
  if (want.unknown.length > 0) {
    assert.match(got.section, /okän(t|da)/i, `kommun=${kod}&age=${age}: unknown programmes, but the words "okänt"/"okända" do not appear in #program-i-kommunen`);
  }
  return want;
}

/// Waits until the live results equal the server's rendering of the page's current URL.
async function assertResultsMatchServer(page, what) {
  const u = new URL(page.url());
  const want = await serverResults(page, u.pathname + u.search);
  const deadline = Date.now() + SETTLE_MS;
  let got;
  do {
    got = await liveResults(page);
    if (JSON.stringify(got) === JSON.stringify(want)) return;
    await new Promise((r) => setTimeout(r, 100));
  } while (Date.now() < deadline);
  assert.deepEqual(got, want, `${what}: after the script's update, #resultat/#teckenforklaring should show what the server renders for ${u.pathname + u.search}`);
}

describe('kartsidan /', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('formulär, lista, teckenförklaring och karta enligt kontraktet', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      const f = await page.evaluate(() => {
        const form = document.querySelector('form#filter');
        if (!form) return null;
        const sel = (n) => {
          const s = form.querySelector(`select[name="${n}"]`);
          return s ? { values: [...s.options].map((o) => o.value), value: s.value } : null;
        };
        const submit = [...form.querySelectorAll('button, input[type=submit]')].find((b) => (b.type || 'submit') === 'submit');
        return {
          method: (form.getAttribute('method') || 'get').toLowerCase(),
          action: form.getAttribute('action'),
          kommun: sel('kommun'),
          age: sel('age'),
          level: sel('level'),
          round: sel('round'),
          layer: sel('layer'),
          document: sel('document'),
          submit: submit ? (submit.textContent || submit.value).trim() : null,
        };
      });
      assert.ok(f, 'no form#filter on /');
      assert.equal(f.method, 'get', 'form#filter method');
      assert.ok(f.action === null || f.action === '' || f.action === '/', `form#filter action should be / (is ${f.action})`);
      for (const n of ['kommun', 'age', 'level', 'round', 'layer', 'document']) assert.ok(f[n], `form#filter has no select[name=${n}]`);
      assert.deepEqual(sorted(f.kommun.values), sorted(['', ...CODES]), 'select[name=kommun] option values: "" and the 15 kommunkoder');
      assert.deepEqual(sorted(f.age.values), sorted(AGES), 'select[name=age] option values');
      assert.deepEqual(sorted(f.level.values), sorted(LEVELS), 'select[name=level] option values');
      assert.deepEqual(sorted(f.round.values), sorted(R.rounds.map((r) => r.id)), 'select[name=round] option values: the round ids');
      assert.equal(f.round.value, DEFAULT_ROUND, 'select[name=round] starts at the default round');
      assert.deepEqual(sorted(f.layer.values), sorted(LAYERS), 'select[name=layer] option values');
      assert.deepEqual(
        sorted(f.document.values.filter((v) => v !== '')),
        sorted(R.documents.map((d) => d.slug)),
        'select[name=document] option values: the document slugs',
      );
      assert.equal(f.submit, 'Visa', 'form#filter submit button text');

      assert.equal(await page.$eval('#karta', (e) => e.getAttribute('role')), 'region', '#karta role');
      assert.match((await page.$eval('#karta', (e) => e.getAttribute('aria-label'))) ?? '', /Karta/, '#karta aria-label');
      const legend = await page.evaluate(() => {
        const l = document.querySelector('#teckenforklaring');
        if (!l) return null;
        const swatches = [...l.querySelectorAll('*')].filter((e) => {
          const st = getComputedStyle(e);
          const bg = st.backgroundColor;
          const filled = bg && bg !== 'transparent' && !/rgba\(\d+, \d+, \d+, 0\)/.test(bg);
          return (filled || e.tagName.toLowerCase() === 'rect' || e.tagName.toLowerCase() === 'path') && e.getBoundingClientRect().width > 0;
        });
        return { text: l.textContent.replace(/\s+/g, ' ').trim(), swatches: swatches.length };
      });
      assert.ok(legend, 'no #teckenforklaring');
      assert.ok(legend.text.length > 10, `#teckenforklaring has no text: "${legend.text}"`);
      assert.ok(legend.swatches >= 2, `#teckenforklaring should show colour swatches (found ${legend.swatches})`);

      assert.equal(await page.$eval('#antal', (e) => e.getAttribute('role')), 'status', '#antal role');
      assert.match(await text(page, '#resultat #antal'), /15 kommuner visas/, '#antal text with no filter');
      const rows = await page.$$eval('#kommunlista tbody tr', (trs) =>
        trs.map((tr) => ({
          kod: tr.getAttribute('data-kommun'),
          klass: tr.getAttribute('data-klass'),
          href: tr.cells[0]?.querySelector('a')?.getAttribute('href') ?? null,
        })),
      );
      assert.deepEqual(sorted(rows.map((r) => r.kod)), sorted(CODES), '#kommunlista tbody tr[data-kommun]: one per kommun');
      for (const r of rows) {
        assert.ok(r.klass, `#kommunlista tr[data-kommun=${r.kod}] has no data-klass`);
        assert.equal(r.href, `/kommun/${r.kod}`, `#kommunlista tr[data-kommun=${r.kod}]: first cell's link`);
      }

      const paths = await mapPaths(page);
      assert.deepEqual(sorted(new Set(paths.map((p) => p.kod))), sorted(CODES), `SVG ${PATHS}: one per kommun`);
      assert.ok(paths.every((p) => p.w > 1 && p.h > 1), `SVG ${PATHS} have no size on screen: ${JSON.stringify(paths.filter((p) => !(p.w > 1 && p.h > 1)))}`);
      assert.ok(await shown(page, '#min-position'), '#min-position should be shown when JavaScript runs');
      assert.match(await text(page, '#min-position'), /Använd min position/, '#min-position text');
      assert.equal(await shown(page, '#visa-karta'), false, '#visa-karta should not be shown at 1280 px');
      assertNoProblems(page, '/');
    } finally {
      await page.close();
    }
  });

  test('filtren med bara tangentbordet uppdaterar resultat och adress utan sidladdning', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      // A value equal to the page's default may be left out of the URL (a clean address).
      const defaults = await page.$$eval('form#filter select', (ss) => Object.fromEntries(ss.map((s) => [s.name, s.value])));
      await page.evaluate(() => {
        window.__sammaSida = true;
      });
      const historyLength = await page.evaluate(() => history.length);
      // Every select at least once; the round back to its default (which may leave the URL).
      const steps = [
        ['age', '13'],
        ['level', 'universal'],
        ['layer', 'coverage'],
        ['round', OTHER_ROUND],
        ['layer', 'adherence'],
        ['document', R.documents[1].slug],
        ['kommun', '1472'],
        ['layer', 'offerings'],
        ['round', DEFAULT_ROUND],
      ];
      let legendBefore = null;
      for (const [name, value] of steps) {
        const what = `${name}=${value} by keyboard`;
        await tabTo(page, `form#filter select[name="${name}"]`);
        await keyboardSelect(page, `form#filter select[name="${name}"]`, value);
        await page
          .waitForFunction(
            (n, v, d) => {
              const got = new URL(location.href).searchParams.get(n);
              return got === v || (got === null && v === d);
            },
            { timeout: SETTLE_MS },
            name,
            value,
            defaults[name],
          )
          .catch(() => assert.fail(`${what}: the URL's query should get ${name}=${value} (history.replaceState; may be left out when it is the default "${defaults[name]}"); URL is ${page.url()}`));
        await assertResultsMatchServer(page, what);
        assert.equal(await page.evaluate(() => window.__sammaSida === true), true, `${what}: the page was reloaded (should update in place)`);
        assert.equal(await page.evaluate(() => history.length), historyLength, `${what}: history.length grew (use history.replaceState, not pushState)`);
        assert.equal(new URL(page.url()).pathname, '/', `${what}: path changed`);
        if (name === 'layer') {
          const legend = await text(page, '#teckenforklaring');
          assert.notEqual(legend, legendBefore, `${what}: #teckenforklaring did not change with the layer`);
          legendBefore = legend;
          const n = await page.$$eval(PATHS, (ps) => new Set(ps.map((p) => p.getAttribute('data-kommun'))).size);
          assert.equal(n, 15, `${what}: ${PATHS} should still be one per kommun, found ${n}`);
        }
      }
      // The last state: a parent of a 13-year-old in Tibro, universal programmes.
      await assertProgrammeAnswer(page, '1472', 13, 'universal');
      assertNoProblems(page, 'filters by keyboard');
    } finally {
      await page.close();
    }
  });

  test('välj en kommun i listan med tangentbordet och hamna på dess sida', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      const link = '#kommunlista tr[data-kommun="1472"] a[href="/kommun/1472"]';
      // As a keyboard user would: the skip link first, then on to the list.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await tabTo(page, link, 200);
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/kommun/1472', 'Enter on the Tibro link');
      assert.match(await text(page, 'h1'), /Tibro/, 'h1 on /kommun/1472');
      assertNoProblems(page, 'list → /kommun/1472');
    } finally {
      await page.close();
    }
  });

  test(`vilka program kan en förälder till en 13-åring i Tibro gå? (${EXAMPLE ? 'exempeldata: listas i #erbjuds' : 'verkliga data: okänt sägs som okänt'})`, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/?kommun=1472&age=13');
      const want = await assertProgrammeAnswer(page, '1472', 13);
      if (EXAMPLE) assert.ok(want.offered.length > 0, 'the example data should offer something for 13-year-olds in Tibro (test premise)');
      assertNoProblems(page, '/?kommun=1472&age=13');
    } finally {
      await page.close();
    }
  });

  test('utan JavaScript: formuläret skickas med GET och listan finns', async () => {
    const page = await openPage(browser, { js: false });
    try {
      await visit(page, '/');
      assert.notEqual(await shown(page, '#min-position'), true, '#min-position must not be shown without JavaScript (it cannot work)');
      assert.notEqual(await shown(page, '#visa-karta'), true, '#visa-karta must not be shown without JavaScript');
      await tabTo(page, 'form#filter select[name="kommun"]');
      await arrowSelectTo(page, 'form#filter select[name="kommun"]', '1472');
      await tabTo(page, 'form#filter select[name="age"]');
      await arrowSelectTo(page, 'form#filter select[name="age"]', '13');
      await tabTo(page, 'form#filter button[type="submit"], form#filter input[type="submit"], form#filter button:not([type])');
      await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.keyboard.press('Enter')]);
      const u = new URL(page.url());
      assert.equal(u.pathname, '/', 'form#filter submits to /');
      assert.equal(u.searchParams.get('kommun'), '1472', `query after submit: ${u.search}`);
      assert.equal(u.searchParams.get('age'), '13', `query after submit: ${u.search}`);
      const rows = await page.$$eval('#kommunlista tbody tr[data-kommun]', (trs) => trs.length);
      assert.ok(rows >= 1, 'no #kommunlista rows after submitting without JavaScript');
      assert.match(await text(page, '#antal'), /\d+ kommun(er)? visas/, '#antal after submit');
      await assertProgrammeAnswer(page, '1472', 13);
      assertNoProblems(page, 'submit without JavaScript');
    } finally {
      await page.close();
    }
  });

  test('knappen Använd min position går att använda', async () => {
    const context = browser.defaultBrowserContext();
    await context.overridePermissions(url('/'), ['geolocation']);
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      await page.setGeolocation({ latitude: 58.39, longitude: 13.85 }); // Skövde
      await tabTo(page, '#min-position');
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 800));
      assertNoProblems(page, '#min-position');
    } finally {
      await page.close();
      await context.clearPermissionOverrides();
    }
  });

  test('mobil 375×740: listan före kartan, #visa-karta visar kartan', async () => {
    const page = await openPage(browser, { viewport: MOBILE });
    try {
      await visit(page, '/');
      const order = await page.evaluate(() => {
        const list = document.querySelector('#kommunlista');
        const map = document.querySelector('#karta');
        return list && map ? !!(list.compareDocumentPosition(map) & Node.DOCUMENT_POSITION_FOLLOWING) : null;
      });
      assert.equal(order, true, '#kommunlista should come before #karta in reading (DOM) order');
      assert.equal(await shown(page, '#kommunlista'), true, '#kommunlista shown at 375 px');
      assert.equal(await shown(page, '#karta'), false, '#karta should be hidden at 375 px until #visa-karta is pressed');
      assert.equal(await shown(page, '#visa-karta'), true, '#visa-karta shown at 375 px');
      await tabTo(page, '#visa-karta');
      await page.keyboard.press('Enter');
      await page
        .waitForFunction(() => {
          const m = document.querySelector('#karta');
          return m && getComputedStyle(m).display !== 'none' && m.getBoundingClientRect().height >= 200;
        })
        .catch(() => assert.fail('#karta should be shown (≥ 200 px high) after pressing #visa-karta'));
      // Leaflet started in a hidden container draws nothing until told its size.
      await page
        .waitForFunction(
          (sel) => {
            const ps = [...document.querySelectorAll(sel)];
            const m = document.querySelector('#karta').getBoundingClientRect();
            const w = ps.reduce((acc, p) => Math.max(acc, p.getBoundingClientRect().width), 0);
            return ps.length >= 15 && w > 10 && m.width > 200;
          },
          {},
          PATHS,
        )
        .catch(async () => assert.fail(`after #visa-karta, the kommuner should be drawn: ${JSON.stringify((await mapPaths(page)).slice(0, 3))}`));
      await page.keyboard.press('Enter');
      await page
        .waitForFunction(() => getComputedStyle(document.querySelector('#karta')).display === 'none' || document.querySelector('#karta').getBoundingClientRect().height === 0)
        .catch(() => assert.fail('#visa-karta is a toggle: pressing it again should hide #karta and show the list'));
      assert.equal(await shown(page, '#kommunlista'), true, '#kommunlista shown again after the second press');
      assertNoProblems(page, '/ at 375 px');
    } finally {
      await page.close();
    }
  });

  test('resultaten på servern följer alla filter (utan JavaScript)', async () => {
    const page = await openPage(browser, { js: false });
    try {
      for (const q of [`?layer=coverage&level=universal&age=0`, `?layer=adherence&document=${R.documents[0].slug}`, `?round=${OTHER_ROUND}`, `?layer=sambu`]) {
        await visit(page, '/' + q);
        const rows = await page.$$eval('#kommunlista tbody tr[data-kommun]', (trs) => trs.map((tr) => tr.getAttribute('data-klass')));
        assert.equal(rows.length, 15, `/${q}: #kommunlista rows`);
        assert.ok(rows.every(Boolean), `/${q}: every row has data-klass`);
        const sel = Object.fromEntries(new URLSearchParams(q));
        for (const [n, v] of Object.entries(sel)) {
          assert.equal(await page.$eval(`form#filter select[name="${n}"]`, (s) => s.value), v, `/${q}: select[name=${n}] should show the chosen value`);
        }
        assert.ok(norm(await text(page, '#teckenforklaring')).length > 0, `/${q}: legend`);
      }
      assertNoProblems(page, 'server-rendered filters');
    } finally {
      await page.close();
    }
  });
});

