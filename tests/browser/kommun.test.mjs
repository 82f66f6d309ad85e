// /kommun/{kod}, /program/{slug}, /jamfor, the 404 pages, the print and embed views. The API
// is the oracle: what a page says about the data must agree with it.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EXAMPLE, api, assertNoProblems, fetchText, launch, norm, openPage, region, screenshot, tabTo, text, visit } from './lib.mjs';

const R = await region();
const NAMES = Object.fromEntries(R.kommuner.map((k) => [k.kommunkod, k.namn]));
const PROGRAMMES = Object.fromEntries((await api('/api/v1/programmes')).programmes.map((p) => [p.slug, p]));
const SECTIONS = ['erbjudanden', 'tackning', 'luckor', 'grannar', 'sambu', 'partssamverkan', 'foljsamhet', 'utbildningar', 'jamforelse'];
const LEVEL_LABEL = { universal: 'universell', selective: 'selektiv', indicated: 'indikerad' };

async function kommun(kod) {
  const k = await api(`/api/v1/kommuner/${kod}`);
  return { k, round: k.rounds.find((r) => r.default) };
}

/// Classifies a cell or list item: täckt / inte täckt / okänt (or erbjuds / erbjuds inte).
function state(s) {
  const t = norm(s).toLowerCase();
  // No catalogue programme for that age (pregnancy): neither covered nor a gap.
  if (/(inget|inga) program i katalogen/.test(t)) return 'none-in-catalogue';
  if (/inte täckt|erbjuds inte/.test(t)) return 'no';
  if (/okänt|okänd/.test(t)) return 'unknown';
  if (/täckt|erbjuds/.test(t)) return 'yes';
  return `?(${norm(s)})`;
}

/// The #tackning table's cells for one level, keyed by age: reads the table as a grid and finds
/// the level either as a column (ages in rows) or as a row (ages in columns).
async function coverageColumn(page, levelLabel) {
  return page.evaluate((label) => {
    const table = document.querySelector('#tackning table');
    if (!table) return { error: 'no table in #tackning' };
    const grid = [...table.rows].map((r) => [...r.cells].map((c) => c.textContent.replace(/\s+/g, ' ').trim()));
    const find = (cells) => cells.findIndex((c) => c.toLowerCase().startsWith(label));
    const col = find(grid[0] ?? []);
    const out = {};
    if (col > 0) {
      for (const row of grid.slice(1)) {
        const age = /^(\d+)/.exec(row[0] ?? '');
        if (age) out[age[1]] = row[col];
      }
      return { cells: out, layout: 'levels as columns' };
    }
    const rowIdx = grid.findIndex((r) => (r[0] ?? '').toLowerCase().startsWith(label));
    if (rowIdx > 0) {
      grid[0].forEach((h, i) => {
        const age = /^(\d+)/.exec(h);
        if (age && i > 0) out[age[1]] = grid[rowIdx][i];
      });
      return { cells: out, layout: 'levels as rows' };
    }
    return { error: `no header cell starting with "${label}" in the first row or column: ${JSON.stringify(grid.slice(0, 2))}` };
  }, levelLabel);
}

async function visibility(page, selectors) {
  return page.evaluate((sels) => {
    const out = {};
    for (const s of sels) {
      out[s] = [...document.querySelectorAll(s)].map((e) => e.checkVisibility({ checkVisibilityCSS: true }));
    }
    return out;
  }, selectors);
}

describe('kommun-, program- och jämförelsesidor', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const kod of ['1472', '1471', '1496']) {
    test(`/kommun/${kod} (${NAMES[kod]}) har alla delar och stämmer med data`, async () => {
      const page = await openPage(browser);
      try {
        await visit(page, `/kommun/${kod}`);
        assert.match(await text(page, 'h1'), new RegExp(NAMES[kod]), `/kommun/${kod}: h1`);
        for (const id of SECTIONS) {
          assert.ok(await page.$(`main #${id}`), `/kommun/${kod}: no #${id}`);
          assert.ok(await page.$(`#${id} h2, #${id} h3`), `/kommun/${kod}: #${id} has no heading`);
        }
        const main = await text(page, 'main');
        assert.match(main, /Källa/, `/kommun/${kod}: facts should show "Källa"`);
        assert.match(main, /Senast bekräftad/, `/kommun/${kod}: facts should show "Senast bekräftad"`);

        const { k, round } = await kommun(kod);
        const offered = round.offerings.filter((o) => o.status === 'offered').map((o) => `/program/${o.programme}`);
        // Programme links may carry the kommun as context (/program/SLUG?kommun=KOD).
        const links = await page.$$eval('#erbjudanden a', (as) => as.map((a) => a.getAttribute('href').split('?')[0]));
        for (const href of offered) assert.ok(links.includes(href), `/kommun/${kod}: #erbjudanden should link ${href} (offered in ${round.id})`);

        const cells = await page.$$eval('#tackning td', (tds) => tds.map((td) => td.textContent));
        assert.ok(cells.length >= 18, `/kommun/${kod}: #tackning should be a table of ages × levels, has ${cells.length} cells`);
        // Besides the states, a summary (share of ages covered, "100 %") may be given.
        const odd = cells.filter((c) => !/^\s*\d+ ?%\s*$/.test(c)).map(state).filter((s) => s.startsWith('?'));
        assert.deepEqual(odd, [], `/kommun/${kod}: #tackning cells should say täckt / inte täckt / okänt / inga program i katalogen`);
        // Pregnancy: no catalogue programme covers it, so never "inte täckt".
        const pregnancy = await page.$$eval('#tackning tr', (trs) =>
          trs.filter((tr) => /graviditet/i.test(tr.cells[0]?.textContent ?? '')).map((tr) => [...tr.querySelectorAll('td')].filter((td) => td.querySelector('.tillstand')).map((td) => ({ text: td.textContent, marker: !!td.querySelector('.tillstand.inget-program') }))),
        );
        if (!Object.values(PROGRAMMES).some((p) => p.age_min < 0)) {
          for (const row of pregnancy) {
            for (const c of row) {
              assert.equal(state(c.text), 'none-in-catalogue', `/kommun/${kod} #tackning, under graviditeten: "${norm(c.text)}" (no catalogue programme covers it)`);
              assert.ok(c.marker, `/kommun/${kod} #tackning, under graviditeten: span.tillstand.inget-program`);
            }
          }
        }

        assert.match(await text(page, '#sambu'), new RegExp(k.sambu.status_label, 'i'), `/kommun/${kod}: #sambu should say "${k.sambu.status_label}"`);
        assert.match(
          await text(page, '#partssamverkan'),
          new RegExp(k.partssamverkan.status_label, 'i'),
          `/kommun/${kod}: #partssamverkan should say "${k.partssamverkan.status_label}"`,
        );
        const foljsamhet = await text(page, '#foljsamhet');
        for (const d of k.adherence) {
          assert.ok(foljsamhet.includes(d.status_label), `/kommun/${kod}: #foljsamhet should give "${d.status_label}" for ${d.document}`);
        }
        assertNoProblems(page, `/kommun/${kod}`);
      } finally {
        await page.close();
      }
    });
  }

  test('Götene (1471): vilka åldrar saknar universellt stöd, och vad erbjuder grannarna?', async (t) => {
    const page = await openPage(browser);
    try {
      await visit(page, '/kommun/1471');
      const { k, round } = await kommun('1471');
      const uni = round.coverage.find((c) => c.level === 'universal');
      const gapAges = new Set(uni.gaps.flatMap((g) => Array.from({ length: g.to - g.from + 1 }, (_, i) => g.from + i)));
      t.diagnostic(`API: universal gaps ${JSON.stringify(uni.gaps.map((g) => g.label))}, unknown ages ${uni.unknown_ages.length}`);

      // The coverage table, universal level, age by age.
      const col = await coverageColumn(page, LEVEL_LABEL.universal);
      assert.ok(!col.error, `/kommun/1471 #tackning: ${col.error}`);
      for (let age = 0; age <= 17; age++) {
        const want = uni.covered_ages.includes(age) ? 'yes' : uni.unknown_ages.includes(age) ? 'unknown' : 'no';
        const cell = col.cells[String(age)];
        assert.ok(cell !== undefined, `/kommun/1471 #tackning (${col.layout}): no cell for age ${age} at level universell`);
        assert.equal(state(cell), want, `/kommun/1471 #tackning, universell, ${age} år: "${cell}"`);
      }

      // The gaps, with their ages, and said to rest on unknowns where they do.
      const luckor = await text(page, '#luckor');
      for (const g of uni.gaps) {
        assert.ok(luckor.includes(g.label), `/kommun/1471 #luckor should name the universal gap "${g.label}": "${luckor.slice(0, 300)}"`);
        if (g.rests_on_unknown) assert.match(luckor, /okän/i, `/kommun/1471 #luckor: gap ${g.label} rests on unknown data, which it should say`);
      }

      // The neighbours: every universal programme a neighbour offers for a gap age is shown;
      // nothing shown that no neighbour offers.
      const offeredBy = {};
      for (const n of k.neighbours) {
        const { round: nr } = await kommun(n.kommunkod);
        // Offered today: a lapsed mention ("erbjöds 2015 – okänt i dag") counts as okänt.
        offeredBy[n.kommunkod] = nr.offerings.filter((o) => (o.state ?? o.status) === 'offered').map((o) => o.programme);
      }
      const grannar = await page.$$eval('#grannar a', (as) => as.map((a) => a.getAttribute('href').split('?')[0]));
      const grannarText = await text(page, '#grannar');
      for (const [kod, slugs] of Object.entries(offeredBy)) {
        for (const s of slugs) {
          const p = PROGRAMMES[s];
          const forGap = p.levels.includes('universal') && [...gapAges].some((a) => a >= p.age_min && a <= p.age_max);
          if (!forGap) continue;
          assert.ok(grannar.includes(`/program/${s}`), `/kommun/1471 #grannar should show ${NAMES[kod]}'s ${s} (universal, ${p.age_label}, covers a gap age); links: ${JSON.stringify(grannar)}`);
          assert.ok(grannarText.includes(NAMES[kod]), `/kommun/1471 #grannar should name ${NAMES[kod]}`);
        }
      }
      const anyNeighbour = new Set(Object.values(offeredBy).flat());
      for (const href of grannar.filter((h) => h.startsWith('/program/'))) {
        assert.ok(anyNeighbour.has(href.slice('/program/'.length)), `/kommun/1471 #grannar links ${href}, which no neighbour offers`);
      }
      assertNoProblems(page, '/kommun/1471');
    } finally {
      await page.close();
    }
  });

  test('utskrift: print-media döljer nav, formulär och karta', async () => {
    const page = await openPage(browser);
    try {
      const hidden = ['nav', 'form', '#karta', '.ej-utskrift'];
      for (const [how, p] of [['@media print', '/kommun/1472']]) {
        await visit(page, p);
        if (how === '@media print') await page.emulateMediaType('print');
        const v = await visibility(page, [...hidden, 'h1', '#tackning', '#exempeldata']);
        for (const s of hidden) {
          assert.ok(v[s].every((x) => !x), `${how} ${p}: every ${s} should be hidden (display: none), visible: ${v[s].filter((x) => x).length} of ${v[s].length}`);
        }
        assert.deepEqual(v.h1, [true], `${how} ${p}: h1 should print`);
        assert.deepEqual(v['#tackning'], [true], `${how} ${p}: #tackning should print`);
        if (EXAMPLE) assert.deepEqual(v['#exempeldata'], [true], `${how} ${p}: the example-data banner must print too`);
        await screenshot(page, 'utskrift-media-kommun');
        await page.emulateMediaType(null);
      }
      assertNoProblems(page, 'print');
    } finally {
      await page.close();
    }
  });

  for (const p of ['/?embed=1', '/kommun/1472?embed=1']) {
    test(`inbäddning ${p}: kompakt, utan webbplatsens navigering, CSP frame-ancestors`, async () => {
      const page = await openPage(browser);
      try {
        await visit(page, p);
        const csp = (await fetchText(p)).headers.get('content-security-policy') ?? '';
        assert.match(csp, /frame-ancestors/, `${p}: Content-Security-Policy`);
        assert.ok(await page.$eval('body', (b) => b.classList.contains('inbaddad')), `${p}: body.inbaddad`);
        // The site's navigation (header, menus) goes; in-page navigation inside main may stay.
        const nav = await page.evaluate(() =>
          [...document.querySelectorAll('nav, header')]
            .filter((e) => !e.closest('main') && e.checkVisibility({ checkVisibilityCSS: true }))
            .map((e) => e.outerHTML.slice(0, 120)),
        );
        assert.deepEqual(nav, [], `${p}: the embedded view should have no visible site header or navigation`);
        if (EXAMPLE) assert.match(await text(page, '#exempeldata'), /Exempeldata/, `${p}: example banner`);
        assert.equal(await page.$eval('base', (b) => b.getAttribute('target')).catch(() => null), '_top', `${p}: <base target="_top"> so links open in the top window`);
        if (p.startsWith('/?')) {
          // Compact: the form with kommun and age only, and the answer; no list, map or legend.
          for (const sel of ['#karta', '#kommunlista', '#teckenforklaring']) {
            assert.equal(await page.$(sel), null, `${p}: the embedded home page should have no ${sel}`);
          }
          const form = await page.$eval('form#filter', (f) => ({
            target: f.getAttribute('target'),
            selects: [...f.querySelectorAll('select')].map((s) => s.name),
          }));
          assert.equal(form.target, '_self', `${p}: form#filter target="_self" (stays in the frame)`);
          assert.deepEqual(form.selects, ['kommun', 'age'], `${p}: the embedded form has only kommun and age`);
        }
        assertNoProblems(page, p);
      } finally {
        await page.close();
      }
    });
  }

  for (const [p, what] of [
    ['/kommun/9999', 'kommun'],
    ['/kommun/tibro', 'kommun'],
    ['/program/finns-inte', 'program'],
  ]) {
    test(`404 ${p}: HTML med väg tillbaka`, async () => {
      const page = await openPage(browser);
      try {
        // Not a kommunkod at all may be a 400; either way a page that helps the reader on.
        await visit(page, p, { status: p === '/kommun/tibro' ? [400, 404] : 404 });
        assert.match((await fetchText(p)).headers.get('content-type') ?? '', /^text\/html/, `${p}: Content-Type`);
        assert.ok(await page.$('main a[href="/"]'), `${p}: a link back to / in main`);
        if (what === 'kommun') {
          const n = await page.$$eval('main a[href^="/kommun/"]', (as) => as.length);
          assert.ok(n >= 1, `${p}: should list or suggest kommuner (links to /kommun/…), found ${n}`);
        }
        assertNoProblems(page, p);
      } finally {
        await page.close();
      }
    });
  }

  for (const slug of ['abc', 'marte-meo']) {
    test(`/program/${slug}: fakta och var det erbjuds`, async () => {
      const page = await openPage(browser);
      try {
        await visit(page, `/program/${slug}`);
        const p = await api(`/api/v1/programmes/${slug}`);
        assert.ok((await text(page, 'h1')).includes(p.name), `/program/${slug}: h1 should be "${p.name}"`);
        const main = await text(page, 'main');
        for (const s of [p.age_label, p.format_label, ...p.levels.map((l) => LEVEL_LABEL[l])]) {
          assert.ok(main.toLowerCase().includes(s.toLowerCase()), `/program/${slug}: should say "${s}"`);
        }
        if (p.source_url) assert.ok(await page.$(`main a[href="${p.source_url}"]`), `/program/${slug}: a link to the source ${p.source_url}`);
        const r = p.rounds.find((x) => x.id === R.rounds.find((y) => y.default).id);
        const want = {};
        for (const o of r.offered_in) want[o.kommunkod] = 'yes';
        for (const o of r.not_offered_in) want[typeof o === 'string' ? o : o.kommunkod] = 'no';
        for (const o of r.unknown_in) want[typeof o === 'string' ? o : o.kommunkod] = 'unknown';
        // A list or a table: the state is in .tillstand if marked, else the row's second cell.
        const items = await page.$$eval('#var-erbjuds li, #var-erbjuds tbody tr', (els) =>
          els.map((e) => ({
            text: (e.querySelector('.tillstand') ?? (e.tagName === 'TR' ? e.cells[1] : e) ?? e).textContent,
            hrefs: [...e.querySelectorAll('a')].map((a) => a.getAttribute('href')),
          })),
        );
        for (const [kod, st] of Object.entries(want)) {
          const li = items.find((i) => i.hrefs.includes(`/kommun/${kod}`)) ?? items.find((i) => norm(i.text).startsWith(NAMES[kod]));
          assert.ok(li, `/program/${slug} #var-erbjuds: no item for ${NAMES[kod]} (${kod})`);
          assert.equal(state(li.text), st, `/program/${slug} #var-erbjuds, ${NAMES[kod]}: "${norm(li.text)}"`);
        }
        assert.ok(await page.$('#karta'), `/program/${slug}: small map #karta`);
        const paths = await page.$$eval('#karta path.kommun', (ps) => ps.length);
        assert.ok(paths >= 15, `/program/${slug}: #karta should draw the kommuner (path.kommun), found ${paths}`);
        assertNoProblems(page, `/program/${slug}`);
      } finally {
        await page.close();
      }
    });
  }

  test('/jamfor: välj kommuner i formuläret med tangentbordet, utan JavaScript', async () => {
    const page = await openPage(browser, { js: false });
    try {
      await visit(page, '/jamfor');
      for (const kod of ['1471', '1472']) {
        const box = `main form input[type="checkbox"][value="${kod}"]`;
        assert.ok(await page.$(box), `/jamfor: no checkbox for ${NAMES[kod]} (${box})`);
        await tabTo(page, box);
        if (!(await page.$eval(box, (b) => b.checked))) await page.keyboard.press('Space');
      }
      await tabTo(page, 'main form button[type="submit"], main form input[type="submit"], main form button:not([type])');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/jamfor', `the form should submit to /jamfor (went to ${page.url()})`);
      const main = await text(page, 'main');
      for (const kod of ['1471', '1472']) assert.ok(main.includes(NAMES[kod]), `${page.url()}: should compare ${NAMES[kod]}`);
      const cols = await page.$$eval('main table thead th', (ths) => ths.map((t) => t.textContent.trim()));
      for (const kod of ['1471', '1472']) {
        assert.ok(cols.some((c) => c.includes(NAMES[kod])), `${page.url()}: a column for ${NAMES[kod]} (header cells: ${JSON.stringify(cols)})`);
      }
      assertNoProblems(page, '/jamfor form');
    } finally {
      await page.close();
    }
  });

  test('/jamfor: två kommuner sida vid sida, och en kommun över omgångar', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/jamfor?kommuner=1496,1494');
      const main = await text(page, 'main');
      for (const kod of ['1496', '1494']) assert.ok(main.includes(NAMES[kod]), `/jamfor?kommuner=1496,1494 should show ${NAMES[kod]}`);

      const [a, b] = R.rounds.slice(-2);
      await visit(page, `/jamfor?kommuner=1496&round=${a.id},${b.id}`);
      const m2 = await text(page, 'main');
      for (const r of [a, b]) assert.ok(m2.includes(r.name), `/jamfor?kommuner=1496&round=${a.id},${b.id} should name the round "${r.name}"`);
      assert.ok(m2.includes(NAMES['1496']), '/jamfor across rounds should name Skövde');
      assertNoProblems(page, '/jamfor');
    } finally {
      await page.close();
    }
  });
});
