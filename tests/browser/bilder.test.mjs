// The pictures (server-rendered SVG) as a reader meets them: what the picture shows equals its
// table behind "Visa som tabell" (the text equivalent), the table opens with the keyboard, a wide
// picture scrolls in its own box at 375 px by keyboard, and printing without background graphics
// keeps the picture (its fills are content): pdftotext finds its words, and the PDF rendered to
// pixels (pdftoppm, PPM) has the picture's colours. Screenshots and PDFs in target/screenshots/.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { EXAMPLE, KIND, MOBILE, SHOTS, assertNoProblems, launch, norm, openPage, region, screenshot, tabTo, visit } from './lib.mjs';

const run = promisify(execFile);
const R = await region();
const [A, B] = R.rounds.slice(-2).map((r) => r.id);

/// What the pictures of a page show: per row (its data- attributes) each age's state.
function pictureRows() {
  const rows = [];
  for (const g of document.querySelectorAll('svg[data-picture="coverage"] g[data-row]')) {
    const states = {};
    for (const r of g.querySelectorAll('rect[data-state]')) {
      if (r.dataset.state === 'not_comparable') continue;
      for (let a = Number(r.dataset.from); a <= Number(r.dataset.to); a++) states[a] = r.dataset.state;
    }
    rows.push({ kommun: g.dataset.kommun ?? null, level: g.dataset.level ?? null, round: g.dataset.round ?? null, states });
  }
  return rows;
}

/// Ages as the pages write them ("under graviditeten, 0–2, 5 och 13–17 år"), read back.
function parseAges(s) {
  const t = norm(s).replace(/ år$/, '').replaceAll(' och ', ', ');
  if (t === '–' || t === '') return [];
  return t.split(', ').flatMap((p) => {
    if (p === 'under graviditeten') return [-1];
    const m = /^(\d+)–(\d+)$/.exec(p);
    if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
    return [Number(p)];
  });
}

const WORD = { offered: 'täckt', not_offered: 'inte täckt', unknown: 'okänt', no_programme: 'inget program i katalogen' };

/// Per age (−1..17), the state the kommun page's coverage table gives at a level column.
async function tableColumn(page, column) {
  return page.evaluate((col) => {
    const t = document.querySelector('#tackning details table');
    const out = {};
    for (const tr of t.tBodies[0].rows) {
      const head = tr.cells[0].textContent.trim();
      const age = /graviditet/.test(head) ? -1 : Number(/^(\d+)/.exec(head)[1]);
      out[age] = tr.cells[col].querySelector('.tillstand').className.replace('tillstand ', '');
    }
    return out;
  }, column);
}

const CLASS = { offered: 'erbjuds', not_offered: 'erbjuds-inte', unknown: 'okant', no_programme: 'inget-program' };

/// How many pixels of a PPM (pdftoppm's default output) are near each colour.
function countColours(ppmFile, colours, tolerance = 3) {
  const buf = readFileSync(ppmFile);
  // "P6\n<w> <h>\n255\n" and then RGB bytes.
  let i = 0;
  const fields = [];
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(buf[i]))) i++;
    let s = '';
    while (!/\s/.test(String.fromCharCode(buf[i]))) s += String.fromCharCode(buf[i++]);
    fields.push(s);
  }
  i++;
  assert.equal(fields[0], 'P6', `${ppmFile}: a binary PPM`);
  const n = colours.map(() => 0);
  for (; i + 2 < buf.length; i += 3) {
    colours.forEach(([r, g, b], c) => {
      if (Math.abs(buf[i] - r) <= tolerance && Math.abs(buf[i + 1] - g) <= tolerance && Math.abs(buf[i + 2] - b) <= tolerance) n[c]++;
    });
  }
  return n;
}

/// Prints the page as it is to KIND-NAME.pdf (A4, without background graphics, as a browser
/// prints by default) and counts, over all its pages at 60 dpi, the pixels near each colour.
async function printColours(page, name, colours, { png = false } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const pdf = path.join(SHOTS, `${KIND}-${name}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: false });
  const prefix = `${KIND}-${name}-ppm`;
  // Earlier runs' pages (a longer PDF then) would be mistaken for this one's.
  const pages = new RegExp(`^${KIND}-${name}-(ppm-)?\\d+\\.(png|ppm)$`);
  for (const f of readdirSync(SHOTS).filter((f) => pages.test(f))) rmSync(path.join(SHOTS, f));
  await run('pdftoppm', ['-r', '60', pdf, path.join(SHOTS, prefix)]);
  if (png) await run('pdftoppm', ['-png', '-r', '60', pdf, path.join(SHOTS, `${KIND}-${name}`)]);
  const counts = colours.map(() => 0);
  for (const f of readdirSync(SHOTS).filter((f) => f.startsWith(prefix) && f.endsWith('.ppm'))) {
    countColours(path.join(SHOTS, f), colours).forEach((n, c) => (counts[c] += n));
    rmSync(path.join(SHOTS, f));
  }
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 1 << 24 });
  return { text: stdout, counts };
}

describe('bilder: täckning, översikt, förändring och lägesbild', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const kod of ['1472', '1471', '1447']) {
    test(`/kommun/${kod}: bilden och tabellen bakom "Visa som tabell" säger samma sak`, async () => {
      const page = await openPage(browser);
      try {
        await visit(page, `/kommun/${kod}`);
        const rows = await page.evaluate(pictureRows);
        assert.deepEqual(rows.map((r) => r.level), ['universal', 'selective', 'indicated', 'all']);
        for (const [i, row] of rows.entries()) {
          const col = await tableColumn(page, i + 1);
          for (let a = -1; a <= 17; a++) assert.equal(CLASS[row.states[a]], col[a], `/kommun/${kod}, ${row.level}, age ${a}: picture ${row.states[a]}, table ${col[a]}`);
        }
        // The picture has a name and a description a screen reader reads.
        const ax = await page.evaluate(() => {
          const svg = document.querySelector('#tackning svg[role="img"]');
          const by = (attr) => svg.getAttribute(attr).split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
          return { name: by('aria-labelledby'), desc: by('aria-describedby') };
        });
        assert.match(ax.name, /Täckning per ålder och nivå i /);
        assert.match(ax.desc, /^Universell: /);
        assertNoProblems(page, `/kommun/${kod}`);
      } finally {
        await page.close();
      }
    });
  }

  test('/kommun/1472: "Visa som tabell" öppnas med tangentbordet', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/kommun/1472');
      assert.equal(await page.$eval('#tackning details', (d) => d.open), false, 'closed at first');
      assert.equal(await page.$eval('#tackning details table', (t) => t.checkVisibility()), false);
      await tabTo(page, '#tackning details > summary');
      await page.keyboard.press('Enter');
      assert.equal(await page.$eval('#tackning details', (d) => d.open), true, 'Enter opens it');
      assert.equal(await page.$eval('#tackning details table', (t) => t.checkVisibility()), true);
      assertNoProblems(page, '/kommun/1472 keyboard');
    } finally {
      await page.close();
    }
  });

  test('/oversikt?age=13: bilden, meningen och tabellen säger samma sak', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/oversikt?level=universal&age=13&sort=tackning');
      const rows = await page.evaluate(pictureRows);
      assert.equal(rows.length, R.kommuner.length);
      const table = await page.$$eval('#oversiktstabell tbody tr', (trs) =>
        trs.map((tr) => ({ kommun: tr.dataset.kommun, cells: Object.fromEntries([...tr.querySelectorAll('td[data-state]')].map((td) => [td.dataset.state, td.textContent])) })),
      );
      assert.deepEqual(rows.map((r) => r.kommun), table.map((t) => t.kommun), 'the same kommuner in the same order');
      for (const [i, row] of rows.entries()) {
        for (const [state, text] of Object.entries(table[i].cells)) {
          const want = Object.entries(row.states).filter(([, s]) => s === state).map(([a]) => Number(a)).sort((x, y) => x - y);
          assert.deepEqual(parseAges(text), want, `${row.kommun}: ${WORD[state]}`);
        }
      }
      const n = (s) => rows.filter((r) => r.states[13] === s).length;
      const said = await page.$eval('#raknat', (p) => p.textContent);
      assert.match(said, new RegExp(`^13 år, universell nivå: täckt i ${n('offered')} av ${rows.length} kommuner`));
      if (n('unknown')) assert.match(said, new RegExp(`okänt i ${n('unknown')}`));
      await screenshot(page, 'bild-oversikt-13');
      assertNoProblems(page, '/oversikt');
    } finally {
      await page.close();
    }
  });

  test('på mobil: översikten ryms med läsbar text, lägesbilden rullar i sin ruta med tangentbordet', async () => {
    const page = await openPage(browser, { viewport: MOBILE });
    try {
      for (const p of ['/oversikt?age=13', `/oversikt?round=${A},${B}`, '/kommun/1472']) {
        await visit(page, p);
        // The ages and names are drawn at 0.9 of their size or more (about 10 px), and every
        // picture fits the phone's width: the chosen age's column is in sight without scrolling.
        const fit = await page.$$eval('svg.diagrambild[data-picture="coverage"]', (ss) =>
          ss.map((s) => ({ scale: s.getBoundingClientRect().width / s.viewBox.baseVal.width, right: s.getBoundingClientRect().right, width: document.documentElement.clientWidth })),
        );
        assert.ok(fit.length > 0, p);
        for (const f of fit) {
          assert.ok(f.scale >= 0.9, `${p}: a picture drawn at ${f.scale.toFixed(2)} of its size on a phone`);
          assert.ok(f.right <= f.width, `${p}: a picture wider than the phone (${f.right} > ${f.width})`);
        }
      }
      await screenshot(page, 'bild-oversikt');
      await visit(page, '/lagesbild');
      const box = '#lagesbild .diagramram';
      const sizes = await page.$eval(box, (b) => ({ scroll: b.scrollWidth, client: b.clientWidth }));
      const scale = await page.$eval(`${box} svg`, (s) => s.getBoundingClientRect().width / s.viewBox.baseVal.width);
      assert.ok(scale >= 0.9, `the lägesbild is drawn at ${scale.toFixed(2)} of its size on a phone`);
      assert.ok(sizes.scroll > sizes.client, 'the lägesbild is wider than the phone: it scrolls in its box');
      await tabTo(page, box);
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page
        .waitForFunction((b) => document.querySelector(b).scrollLeft > 0, { timeout: 3000 }, box)
        .catch(() => assert.fail('arrow keys should scroll the focused box'));
      await screenshot(page, 'bild-lagesbild');
      assertNoProblems(page, 'pictures at 375 px');
    } finally {
      await page.close();
    }
  });

  test(`/oversikt?round=${A},${B}: två omgångar, förändring bara mellan bekräftade svar`, async () => {
    const page = await openPage(browser);
    try {
      await visit(page, `/oversikt?round=${A},${B}`);
      const marks = await page.$$eval('text[data-mark]', (ts) => ts.map((t) => `${t.closest('g').dataset.kommun}:${t.dataset.mark}:${t.dataset.age}`));
      const rows = await page.evaluate(pictureRows);
      for (const m of marks) {
        const [kommun, mark, age] = m.split(':');
        const [x, y] = rows.filter((r) => r.kommun === kommun).map((r) => r.states[age]);
        assert.deepEqual([x, y], mark === 'gained' ? ['not_offered', 'offered'] : ['offered', 'not_offered'], m);
      }
      const notes = await page.$$eval('rect[data-state="not_comparable"]', (rs) => rs.length);
      if (!EXAMPLE) assert.equal(notes, R.kommuner.length, 'the real data has no answers in the surveys: nothing can be compared');
      const table = norm(await page.$eval('#oversiktstabell', (t) => t.textContent));
      assert.doesNotMatch(table, /ingen förändring/i);
      if (!EXAMPLE) assert.match(table, /Kan inte jämföras – inga uppgifter/);
      await screenshot(page, 'bild-oversikt-omgangar');
      assertNoProblems(page, '/oversikt två omgångar');
    } finally {
      await page.close();
    }
  });

  test('/lagesbild: varje ruta har sitt ord, samma som i tabellen', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, '/lagesbild');
      const cells = await page.$$eval('svg[data-picture="steps"] g[data-kommun]', (gs) =>
        gs.flatMap((g) => [...g.querySelectorAll('rect[data-measure]')].map((r) => ({ kommun: g.dataset.kommun, measure: r.dataset.measure, state: r.dataset.state, word: g.querySelector(`text[data-measure="${r.dataset.measure}"]`).textContent }))),
      );
      assert.ok(cells.length >= R.kommuner.length * 3);
      const table = await page.$$eval('#lagesbild-tabell td[data-measure]', (tds) => tds.map((td) => `${td.closest('tr').dataset.kommun}|${td.dataset.measure}|${td.dataset.state}`));
      assert.deepEqual(cells.map((c) => `${c.kommun}|${c.measure}|${c.state}`).sort(), table.sort());
      for (const c of cells) {
        assert.ok(c.word.length > 0, `${c.kommun} ${c.measure}: a word in the cell`);
        if (c.state === 'unknown') assert.equal(c.word, 'okänt', `${c.kommun} ${c.measure}`);
      }
      await screenshot(page, 'bild-lagesbild');
      assertNoProblems(page, '/lagesbild');
    } finally {
      await page.close();
    }
  });

  for (const [p, name, words] of [
    ['/kommun/1472', 'utskrift-bild-kommun-1472', ['Universell', 'Alla nivåer', 'okänt – svar saknas', 'inget program i katalogen']],
    ['/oversikt?level=universal&age=13', 'utskrift-bild-oversikt', ['vald ålder: 13 år', 'okänt – svar saknas']],
    ['/lagesbild', 'utskrift-bild-lagesbild', ['SAMBU', 'Partssamverkan', 'SIP-utbildningar', 'okänt']],
  ]) {
    test(`${p}: bilden skrivs ut utan bakgrundsgrafik`, async (t) => {
      const page = await openPage(browser);
      try {
        await visit(page, p);
        // The hatch of okänt (its ground #e8e8e8), the grey of the dots, the blue of täckt:
        // printed with the picture, and printed again with the pictures taken out, the
        // difference is the picture's.
        const colours = [
          ['okänt (randigt)', [0xe8, 0xe8, 0xe8]],
          ['inget program i katalogen (prickigt)', [0xb4, 0xb4, 0xb4]],
          ['täckt / längst kommet', [0x08, 0x30, 0x6b]],
        ].filter(([what]) => !(p === '/lagesbild' && what.startsWith('inget')) && (EXAMPLE || !what.startsWith('täckt')));
        const rgb = colours.map(([, c]) => c);
        const withPicture = await printColours(page, name, rgb, { png: true });
        for (const w of words) assert.ok(norm(withPicture.text).includes(w), `${p} PDF: "${w}"`);
        await page.evaluate(() => document.querySelectorAll('svg[data-picture]').forEach((s) => s.remove()));
        const without = await printColours(page, `${name}-utan-bild`, rgb);
        colours.forEach(([what], c) => {
          const n = withPicture.counts[c] - without.counts[c];
          t.diagnostic(`${p}: ${what}: ${n} pixels at 60 dpi`);
          assert.ok(n > 200, `${p} PDF: the picture's ${what} should print (${n} pixels more than without the picture)`);
        });
        assertNoProblems(page, `${p} print`);
      } finally {
        await page.close();
      }
    });
  }
});
