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
  assertResultsMatchServer,
  keyboardSelect,
  assertNoProblems,
  launch,
  liveResults,
  norm,
  openFlerVal,
  openPage,
  region,
  screenshot,
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
const LAYERS = ['offerings', 'coverage', 'sambu', 'partssamverkan', 'adherence', 'trainings', 'familjecentraler'];
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
    // A card's title links the programme page, with the kommun (?kommun=KOD) as context.
    erbjuds: [...document.querySelectorAll('#erbjuds li.kort h4 a[href^="/program/"]')].map((a) => a.getAttribute('href')),
    okanda: [...document.querySelectorAll('#okanda li')].map((li) => ({
      text: li.textContent.replace(/\s+/g, ' ').trim(),
      hrefs: [...li.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    })),
    section: document.querySelector('#program-i-kommunen').textContent.replace(/\s+/g, ' '),
  }));
  assert.deepEqual(
    sorted(got.erbjuds.map((h) => h.split('?')[0])),
    sorted(want.offered.map((s) => `/program/${s}`)),
    `kommun=${kod}&age=${age}: the cards' title links (ul#erbjuds li.kort h4 a) should be exactly the offered programmes`,
  );
  for (const h of got.erbjuds) {
    assert.equal(new URL(h, 'http://x').searchParams.get('kommun'), kod, `kommun=${kod}&age=${age}: card link ${h} should carry ?kommun=${kod}`);
  }
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
          // The parent's two questions first; the professionals' choices under "Fler val".
          firstFields: [...form.querySelectorAll('select')].slice(0, 2).map((s) => s.name),
          topLevel: [...form.children].map((c) => `${c.tagName.toLowerCase()}${c.id ? '#' + c.id : ''}${c.classList.length ? '.' + [...c.classList].join('.') : ''}`),
          flerVal: (() => {
            const d = form.querySelector('details#fler-val');
            return d
              ? {
                  open: d.open,
                  summary: d.querySelector(':scope > summary')?.textContent.trim() ?? null,
                  selects: [...d.querySelectorAll('select')].map((s) => s.name),
                }
              : null;
          })(),
          dokument: (() => {
            const f = form.querySelector('#falt-dokument');
            return f ? { hidden: f.hidden, shown: f.checkVisibility(), hasSelect: !!f.querySelector('select#f-dokument[name="document"]') } : null;
          })(),
          svar: (() => {
            const p = form.nextElementSibling;
            return p ? { id: p.id, tag: p.tagName.toLowerCase(), text: p.textContent.trim(), links: [...p.querySelectorAll('a')].map((a) => a.getAttribute('href')) } : null;
          })(),
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
      assert.deepEqual(f.firstFields, ['kommun', 'age'], 'form#filter: the first two fields are Kommun and Barnets ålder');
      assert.ok(f.flerVal, `form#filter should have details#fler-val (children: ${f.topLevel.join(', ')})`);
      assert.equal(f.flerVal.summary, 'Fler val', 'details#fler-val summary');
      assert.equal(f.flerVal.open, false, 'details#fler-val is closed at first');
      assert.deepEqual(sorted(f.flerVal.selects), sorted(['level', 'round', 'layer', 'document']), 'details#fler-val holds nivå, omgång, kartan visar and dokument');
      assert.deepEqual(
        f.topLevel.filter((c) => !c.startsWith('input')),
        ['div.falt', 'div.falt', 'details#fler-val', 'div.falt.knappar'],
        'form#filter: Kommun, Barnets ålder, Fler val, then the button',
      );
      assert.ok(f.dokument?.hasSelect, 'div#falt-dokument with select#f-dokument');
      assert.equal(f.dokument.hidden, true, '#falt-dokument is hidden unless the layer is adherence');
      assert.equal(f.svar?.id, 'svar-kort', `the element right after form#filter should be #svar-kort (is ${f.svar?.tag}#${f.svar?.id})`);
      assert.ok(f.svar.text.length > 5, `#svar-kort should summarise the answer: "${f.svar.text}"`);

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
      // The map's colours are the legend's: full opacity, the swatch's colour.
      const colours = await page.evaluate((sel) => {
        const out = [];
        for (const p of document.querySelectorAll(sel)) {
          const klass = [...p.classList].find((c) => c.startsWith('k-'));
          const swatch = document.querySelector(`#teckenforklaring .ruta.${klass}`);
          const st = getComputedStyle(p);
          out.push({ kod: p.dataset.kommun, klass, fill: st.fill, opacity: st.fillOpacity, swatch: swatch ? getComputedStyle(swatch).backgroundColor : null, image: swatch ? getComputedStyle(swatch).backgroundImage : null });
        }
        return out;
      }, PATHS);
      for (const c of colours) {
        assert.equal(c.opacity, '1', `${c.kod} (${c.klass}): map polygons at fill-opacity 1, so they equal the legend`);
        assert.ok(c.swatch !== null, `${c.kod}: class ${c.klass} on the map has no swatch in #teckenforklaring`);
        if (c.image === 'none') assert.equal(c.fill, c.swatch, `${c.kod} (${c.klass}): map fill should be the legend swatch's colour`);
        else assert.match(c.fill, /url\(/, `${c.kod} (${c.klass}): a patterned swatch, so the map should fill with a pattern, fill is ${c.fill}`);
      }
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
      let historyLength = await page.evaluate(() => history.length);
      // Every select at least once; the round back to its default (which may leave the URL).
      // Kommun and age are a new question (pushState: Back undoes them); the rest refine it
      // (replaceState).
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
        const inFlerVal = await page.$eval(`form#filter select[name="${name}"]`, (s) => !!s.closest('details#fler-val'));
        if (inFlerVal) await openFlerVal(page);
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
          .catch(() => assert.fail(`${what}: the URL's query should get ${name}=${value} (may be left out when it is the default "${defaults[name]}"); URL is ${page.url()}`));
        await assertResultsMatchServer(page, what);
        assert.equal(await page.evaluate(() => window.__sammaSida === true), true, `${what}: the page was reloaded (should update in place)`);
        const push = name === 'kommun' || name === 'age';
        const length = await page.evaluate(() => history.length);
        assert.equal(
          length,
          historyLength + (push ? 1 : 0),
          push
            ? `${what}: a changed ${name} should add one history entry (pushState, so Back undoes it; type-ahead keys count as one)`
            : `${what}: history.length grew (a refining filter uses history.replaceState, not pushState)`,
        );
        historyLength = length;
        assert.equal(new URL(page.url()).pathname, '/', `${what}: path changed`);
        if (name === 'layer') {
          const legend = await text(page, '#teckenforklaring');
          assert.notEqual(legend, legendBefore, `${what}: #teckenforklaring did not change with the layer`);
          legendBefore = legend;
          const n = await page.$$eval(PATHS, (ps) => new Set(ps.map((p) => p.getAttribute('data-kommun'))).size);
          assert.equal(n, 15, `${what}: ${PATHS} should still be one per kommun, found ${n}`);
          // Dokument belongs to the adherence layer only.
          const dok = await page.$eval('#falt-dokument', (f) => ({ hidden: f.hidden, visible: f.checkVisibility() }));
          assert.deepEqual(dok, { hidden: value !== 'adherence', visible: value === 'adherence' }, `${what}: #falt-dokument shown only with layer=adherence`);
        }
      }
      // The last state: a parent of a 13-year-old in Tibro, universal programmes.
      await assertProgrammeAnswer(page, '1472', 13, 'universal');
      assert.match(await text(page, '#svar-kort'), /Tibro/, '#svar-kort after choosing Tibro should name it');
      assertNoProblems(page, 'filters by keyboard');
    } finally {
      await page.close();
    }
  });

  test('Tillbaka i webbläsaren ångrar ett byte av kommun eller ålder', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      await page.evaluate(() => {
        window.__sammaSida = true;
      });
      const start = await liveResults(page);
      const choose = async (name, value) => {
        await tabTo(page, `form#filter select[name="${name}"]`);
        await keyboardSelect(page, `form#filter select[name="${name}"]`, value);
        await page.waitForFunction((n, v) => new URL(location.href).searchParams.get(n) === v, {}, name, value)
          .catch(() => assert.fail(`${name}=${value}: URL ${page.url()}`));
        await assertResultsMatchServer(page, `${name}=${value}`);
      };
      const formState = () => page.$$eval('form#filter select', (ss) => Object.fromEntries(ss.map((s) => [s.name, s.value])));
      const expectAt = async (query, what) => {
        await page
          .waitForFunction((q) => location.search === q, {}, query)
          .catch(() => assert.fail(`${what}: the address should be ${query || '/'} (is ${page.url()})`));
        await assertResultsMatchServer(page, what);
        const f = await formState();
        const p = new URLSearchParams(query);
        assert.equal(f.kommun, p.get('kommun') ?? '', `${what}: select[name=kommun] should follow the address`);
        assert.equal(f.age, p.get('age') ?? '', `${what}: select[name=age] should follow the address`);
        assert.equal(await page.evaluate(() => window.__sammaSida === true), true, `${what}: the page was reloaded (history should be handled in place)`);
      };
      await choose('kommun', '1472');
      await choose('age', '13');
      await page.evaluate(() => history.back());
      await expectAt('?kommun=1472', 'Back after choosing 13 år');
      await page.evaluate(() => history.back());
      await expectAt('', 'Back after choosing Tibro');
      assert.deepEqual(await liveResults(page), start, 'Back to the start: the results of /');
      await page.evaluate(() => history.forward());
      await expectAt('?kommun=1472', 'Forward again');
      assert.match(await text(page, '#svar-kort'), /Tibro/, '#svar-kort follows Back and Forward');
      assertNoProblems(page, 'history');
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

  test(`vilka program kan en förälder till en 13-åring i Tibro gå? (${EXAMPLE ? 'exempeldata: kort med kontakt' : 'verkliga data: inget bekräftat, kommunens kontakt och grannarnas program'})`, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/?kommun=1472&age=13');
      const want = await assertProgrammeAnswer(page, '1472', 13);
      // The short answer next to the form, with a way to the full one.
      const svar = await page.$eval('form#filter + #svar-kort', (p) => ({ text: p.textContent.replace(/\s+/g, ' ').trim(), links: [...p.querySelectorAll('a')].map((a) => a.getAttribute('href')) }))
        .catch(() => null);
      assert.ok(svar, '#svar-kort right after form#filter');
      assert.match(svar.text, /Tibro/, `#svar-kort names the kommun: "${svar.text}"`);
      assert.match(svar.text, /13 år/, `#svar-kort names the age: "${svar.text}"`);
      assert.ok(svar.links.includes('#resultat'), `#svar-kort links #resultat (links: ${JSON.stringify(svar.links)})`);
      const cards = await page.$$eval('#program-i-kommunen ul#erbjuds.kortlista > li.kort', (lis) =>
        lis.map((li) => ({
          title: li.querySelector(':scope > h4 > a[href^="/program/"]')?.textContent.trim() ?? null,
          beskrivning: li.querySelector('p.beskrivning')?.textContent.trim() ?? '',
          forVem: li.querySelector('p.for-vem')?.textContent.trim() ?? '',
          fakta: [...li.querySelectorAll('dl.kortfakta dt')].map((dt) => dt.textContent.trim()),
          kontakt: [...li.querySelectorAll('p.kontakt > a.kontakt')].map((a) => ({ text: a.textContent.replace(/\s+/g, ' ').trim(), href: a.getAttribute('href') })),
        })),
      );
      if (EXAMPLE) {
        assert.ok(want.offered.length > 0, 'the example data should offer something for 13-year-olds in Tibro (test premise)');
        assert.equal(cards.length, want.offered.length, 'one card (ul#erbjuds.kortlista > li.kort) per offered programme');
        for (const c of cards) {
          assert.ok(c.title, `a card without h4 > a[href^="/program/"]: ${JSON.stringify(c)}`);
          assert.ok(c.beskrivning.length > 10, `${c.title}: p.beskrivning should say in a sentence what it is: "${c.beskrivning}"`);
          assert.ok(c.forVem.length > 3, `${c.title}: p.for-vem should say for whom: "${c.forVem}"`);
          for (const dt of ['Arrangör', 'Senast bekräftad', 'Källa']) assert.ok(c.fakta.includes(dt), `${c.title}: dl.kortfakta should have "${dt}" (has ${JSON.stringify(c.fakta)})`);
          assert.equal(c.kontakt.length, 1, `${c.title}: one p.kontakt > a.kontakt`);
          assert.match(c.kontakt[0].text, /^Kontakt och anmälan/, `${c.title}: contact link text`);
          assert.ok(c.kontakt[0].href && c.kontakt[0].href !== '#', `${c.title}: contact link has no address`);
        }
      } else {
        assert.equal(want.offered.length, 0, 'real data: nothing confirmed for 13-year-olds in Tibro (test premise)');
        assert.equal(cards.length, 0, 'real data: no cards in ul#erbjuds');
        assert.match(await text(page, '#program-i-kommunen p.inget-bekraftat'), /bekräftat/i, 'p.inget-bekraftat says plainly that nothing is confirmed');
        const kontakt = await page.$$eval('#program-i-kommunen p.kommunkontakt a', (as) => as.map((a) => ({ text: a.textContent.trim(), href: a.getAttribute('href') })));
        assert.equal(kontakt.length >= 1, true, 'p.kommunkontakt > a: the kommun\'s general contact');
        assert.match(kontakt[0].href ?? '', /^https?:\/\//, `the kommun contact is a web address: ${kontakt[0].href}`);
        assert.match(await text(page, '#program-i-kommunen p.kommunkontakt'), /Tibro/, 'p.kommunkontakt names Tibro');
        // Confirmed offers in the neighbouring kommuner, as the API has them.
        assert.ok(await page.$('#program-i-kommunen section#grannars-erbjudanden, section#grannars-erbjudanden'), 'section#grannars-erbjudanden');
        assert.ok(await page.$('section#grannars-erbjudanden h4, section#grannars-erbjudanden h3'), 'section#grannars-erbjudanden has a heading');
        const k = await api('/api/v1/kommuner/1472');
        const expected = new Set();
        for (const n of k.neighbours) {
          for (const slug of (await programmesFor(n.kommunkod, 13)).offered) expected.add(`${n.kommunkod}:/program/${slug}`);
        }
        const shownLinks = await page.$$eval('section#grannars-erbjudanden a[href^="/program/"]', (as) => as.map((a) => a.getAttribute('href')));
        const got = new Set(shownLinks.map((h) => {
          const u = new URL(h, 'http://x');
          return `${u.searchParams.get('kommun')}:${u.pathname}`;
        }));
        assert.deepEqual(sorted(got), sorted(expected), 'section#grannars-erbjudanden: the neighbours\' confirmed programmes for 13 år (links /program/SLUG?kommun=GRANNE)');
        const grannKontakt = await page.$$eval('section#grannars-erbjudanden a.kontakt', (as) => as.map((a) => a.textContent.trim()));
        assert.equal(grannKontakt.length, expected.size, 'section#grannars-erbjudanden: a "Kontakt och anmälan" link (a.kontakt) per neighbour offer');
      }
      // The chosen kommun on the map: a thick dark outline, not the orange focus colour.
      const outline = await page.$eval('#karta path.kommun.vald[data-kommun="1472"]', (p) => ({ stroke: getComputedStyle(p).stroke, width: parseFloat(getComputedStyle(p).strokeWidth) }))
        .catch(() => null);
      assert.ok(outline, 'the chosen kommun is marked path.kommun.vald on the map');
      assert.notEqual(outline.stroke, 'rgb(179, 89, 0)', 'the chosen kommun\'s outline must differ from the orange focus ring');
      assert.ok(outline.width >= 3, `the chosen kommun's outline is thick (${outline.width})`);
      assertNoProblems(page, '/?kommun=1472&age=13');
    } finally {
      await page.close();
    }
  });

  test('kartan: Escape stänger en popup, även med fokus i den, och popupen hamnar inte under zoomknapparna', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/');
      // The label nearest the map's top left corner: the place where a popup could end up under
      // the zoom buttons. A click on the label reaches the kommun under it.
      const target = await page.evaluate(() => {
        const m = document.querySelector('#karta').getBoundingClientRect();
        const z = document.querySelector('.leaflet-control-zoom').getBoundingClientRect();
        const tips = [...document.querySelectorAll('#karta .etikett')].map((e) => {
          const r = e.getBoundingClientRect();
          return { name: e.textContent.trim(), x: r.left + r.width / 2, y: r.top + r.height / 2, d: r.left - m.left + (r.top - m.top) };
        }).filter((t) => !(t.x >= z.left - 4 && t.x <= z.right + 4 && t.y >= z.top - 4 && t.y <= z.bottom + 4));
        tips.sort((a, b) => a.d - b.d);
        return tips[0];
      });
      assert.ok(target, 'no kommun labels (.etikett) on the map');
      await page.mouse.click(target.x, target.y);
      await page.waitForSelector('#karta .leaflet-popup').catch(() => assert.fail(`a click on ${target.name} should open a popup`));
      await page.waitForFunction(() => document.activeElement?.closest('.leaflet-popup'), { timeout: 3000 })
        .catch(() => assert.fail('focus should move into the popup'));
      // Leaflet pans the map so the popup clears the zoom control (autoPanPadding).
      await page.waitForFunction(() => {
        const z = document.querySelector('.leaflet-control-zoom')?.getBoundingClientRect();
        const p = document.querySelector('.leaflet-popup-content-wrapper')?.getBoundingClientRect();
        if (!z || !p) return false;
        return p.right <= z.left || p.left >= z.right || p.bottom <= z.top || p.top >= z.bottom;
      }, { timeout: 3000 }).catch(async () => {
        const rects = await page.evaluate(() => [ '.leaflet-control-zoom', '.leaflet-popup-content-wrapper' ].map((s) => JSON.stringify(document.querySelector(s)?.getBoundingClientRect())));
        assert.fail(`the popup for ${target.name} overlaps the zoom buttons: ${rects.join(' / ')}`);
      });
      const title = await text(page, '#karta .leaflet-popup h3');
      assert.equal(title, target.name, 'popup title');
      await screenshot(page, 'karta-popup');
      assert.match(await page.evaluate(() => document.activeElement.textContent), /Allt om/, 'focus in the popup is on its link');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('#karta .leaflet-popup'), { timeout: 3000 })
        .catch(() => assert.fail('Escape with focus inside the popup should close it'));
      const focus = await page.evaluate(() => ({ inMap: !!document.activeElement?.closest('#karta'), body: document.activeElement === document.body }));
      assert.ok(focus.inMap && !focus.body, 'after Escape, focus goes back to the map (not lost to <body>)');
      // Again, with focus left on the map itself.
      await page.mouse.click(target.x, target.y);
      await page.waitForSelector('#karta .leaflet-popup');
      await page.evaluate(() => document.querySelector('#karta').focus());
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('#karta .leaflet-popup'), { timeout: 3000 })
        .catch(() => assert.fail('Escape with focus on the map should close the popup'));
      assertNoProblems(page, 'popup');
    } finally {
      await page.close();
    }
  });

  test('familjecentraler: okänt där ingen källa nämner en, en punkt bara där källan ger koordinater', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/?layer=familjecentraler');
      const layer = await api('/api/v1/layers/familjecentraler');
      const rows = await page.$$eval('#kommunlista tbody tr[data-kommun]', (trs) =>
        trs.map((tr) => ({ code: tr.dataset.kommun, klass: tr.dataset.klass, text: tr.textContent.replace(/\s+/g, ' ') })));
      assert.equal(rows.length, CODES.length, 'a row per kommun');
      for (const f of layer.features) {
        const row = rows.find((r) => r.code === String(f.id));
        const known = f.properties.familjecentral_state === 'known';
        assert.equal(row.klass, known ? 'k-n3' : 'k-okant', `${f.properties.namn}: class as the API's state`);
        if (known) for (const c of f.properties.familjecentraler) assert.ok(row.text.includes(c.name), `${f.properties.namn}: the list names ${c.name}`);
        else assert.match(row.text, /Ingen uppgift om familjecentral/, `${f.properties.namn}: "ingen uppgift", never "finns inte"`);
        assert.doesNotMatch(row.text, /finns inte/i, `${f.properties.namn}`);
      }
      // The map draws the same classes, and a point for each familjecentral with coordinates.
      const drawn = await page.$$eval('#karta path.kommun[data-kommun]', (ps) => ps.map((p) => [p.dataset.kommun, [...p.classList].find((c) => c.startsWith('k-'))]));
      for (const [code, klass] of drawn) assert.equal(klass, rows.find((r) => r.code === code).klass, `map class of ${code}`);
      const withPoint = layer.features.flatMap((f) => f.properties.familjecentraler).filter((c) => c.point);
      const points = await page.$$eval('#karta path.familjecentral-punkt', (ps) => ps.length);
      assert.equal(points, withPoint.length, 'one point per familjecentral whose source gives coordinates');
      if (EXAMPLE) assert.equal(points, 1, 'the example data has one invented point (Tibro)');
      else assert.equal(points, 0, 'no source of the real data gives coordinates');
      assert.match(await text(page, '#teckenforklaring'), new RegExp(`punkt: där en källa ger familjecentralens koordinater \\(${withPoint.length}\\)`));
      await screenshot(page, 'familjecentraler');
      assertNoProblems(page, '/?layer=familjecentraler');
    } finally {
      await page.close();
    }
  });

  test('under graviditeten: eget neutralt tillstånd "inga program i katalogen", varken vitt eller okänt', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/?age=graviditet');
      const rows = await page.$$eval('#kommunlista tbody tr[data-kommun]', (trs) => trs.map((tr) => tr.dataset.klass));
      const anyProgramme = PROGRAMMES.some((p) => p.age_min < 0);
      if (!anyProgramme) {
        assert.deepEqual([...new Set(rows)], ['k-inget-program'], 'no catalogue programme covers pregnancy: every row k-inget-program (not k-ingen, not k-okant)');
      }
      const legend = await page.evaluate(() => {
        const bg = (sel) => {
          const e = document.querySelector(sel);
          if (!e) return null;
          const st = getComputedStyle(e);
          return `${st.backgroundColor} ${st.backgroundImage}`;
        };
        const li = document.querySelector('#teckenforklaring .ruta.k-inget-program')?.closest('li');
        return { inget: bg('#teckenforklaring .ruta.k-inget-program'), text: li?.textContent.trim() ?? '', ingen: bg('.ruta.k-ingen'), okant: bg('.ruta.k-okant') };
      });
      assert.ok(legend.inget, '#teckenforklaring should have a .ruta.k-inget-program swatch');
      assert.match(legend.text, /(inget|inga) program i katalogen/i, `the k-inget-program legend entry's words: "${legend.text}"`);
      const ref = await page.evaluate(() => {
        const probe = (k) => {
          const e = document.createElement('span');
          e.className = `ruta ${k}`;
          document.body.append(e);
          const st = getComputedStyle(e);
          const out = `${st.backgroundColor} ${st.backgroundImage}`;
          e.remove();
          return out;
        };
        return { ingen: probe('k-ingen'), okant: probe('k-okant') };
      });
      assert.notEqual(legend.inget, ref.ingen, 'k-inget-program must look different from k-ingen (white, confirmed none)');
      assert.notEqual(legend.inget, ref.okant, 'k-inget-program must look different from k-okant (hatched)');
      const fills = await page.$$eval('#karta path.kommun.k-inget-program', (ps) => [...new Set(ps.map((p) => getComputedStyle(p).fill))]);
      if (!anyProgramme) {
        assert.equal(fills.length, 1, `map: every kommun drawn k-inget-program, one fill (${JSON.stringify(fills)})`);
        assert.match(fills[0], /inget-program-monster/, `map: k-inget-program filled with its dotted pattern: ${fills[0]}`);
        assert.ok(await page.$('#karta svg pattern#inget-program-monster'), 'the map defines the pattern #inget-program-monster');
      }
      assertNoProblems(page, '/?age=graviditet');
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
      // 15 names do not fit on a phone's map without colliding: they are hidden (the popups and
      // the list name every kommun).
      const labels = await page.$$eval('#karta .etikett', (es) => es.filter((e) => e.checkVisibility()).map((e) => e.textContent.trim()));
      assert.deepEqual(labels, [], 'at 375 px the map labels (.etikett) should be hidden so they do not collide');
      await screenshot(page, 'karta-visad');
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

