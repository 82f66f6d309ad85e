// Print: the kommun report and the comparison rendered to PDF by headless Chromium the way a
// chair prints them with the browser's default settings (A4, no background graphics), read back
// with poppler's pdftotext and rendered to PNG with pdftoppm (target/screenshots/, to look at).
// Also the "Skriv ut rapport" button, and the print header only on paper.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { EXAMPLE, KIND, SHOTS, api, assertNoProblems, launch, norm, openPage, region, tabTo, todaySweden, visit } from './lib.mjs';

const run = promisify(execFile);
const R = await region();
const NAMES = Object.fromEntries(R.kommuner.map((k) => [k.kommunkod, k.namn]));
const DEFAULT_ROUND = R.rounds.find((r) => r.default);
const TODAY = todaySweden();
/// A4 minus the page margins the stylesheet sets (12 mm each side): the width print lays out in.
const A4_CONTENT_PX = Math.floor(((210 - 24) / 25.4) * 96);

/// Prints `p` to target/screenshots/KIND-NAME.pdf and NAME-N.png (60 dpi); returns the text of
/// each page (pdftotext, in reading order) and the footer's text as the page has it.
async function printToPdf(page, p, name) {
  await visit(page, p);
  mkdirSync(SHOTS, { recursive: true });
  const pdf = path.join(SHOTS, `${KIND}-${name}.pdf`);
  await page.pdf({ path: pdf, format: 'A4', printBackground: false, preferCSSPageSize: false });
  await run('pdftoppm', ['-png', '-r', '60', pdf, path.join(SHOTS, `${KIND}-${name}`)]);
  const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { maxBuffer: 1 << 24 });
  const pages = stdout.split('\f');
  if (pages.length > 1 && pages.at(-1).trim() === '') pages.pop();
  await page.emulateMediaType('print');
  const footer = await page.$eval('footer', (f) => f.innerText).catch(() => '');
  await page.emulateMediaType(null);
  return { pdf, pages, footer: norm(footer) };
}

/// The lines of a page that are not part of the footer (pdftotext breaks lines its own way, so
/// a line belongs to the footer when its text occurs in the footer's text).
function nonFooterLines(pageText, footer) {
  return pageText
    .split('\n')
    .map(norm)
    .filter((l) => l && !/^\d+$/.test(l) && !footer.includes(l));
}

function assertHeader(first, what, names) {
  const head = norm(first);
  assert.match(head, /Skaraborgskartan/, `${what}: the printed header should name the service`);
  for (const n of names) assert.ok(head.includes(n), `${what}: the first page should name ${n}`);
  assert.ok(head.includes(DEFAULT_ROUND.name), `${what}: the printed header should name the round "${DEFAULT_ROUND.name}"`);
  assert.ok(head.includes(TODAY), `${what}: the printed header should give today's date ${TODAY}`);
}

/// The status symbols print as characters (■ erbjuds/täckt, □ inte, ▨ okänt), since background
/// graphics are off by default.
function assertSymbols(text, what, want) {
  for (const [glyph, meaning] of want) assert.ok(text.includes(glyph), `${what}: the PDF should show ${glyph} (${meaning}) as a character`);
}

describe('utskrift till PDF (A4, utan bakgrundsgrafik)', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  test('/kommun/1447 (Gullspång): rubrik, symboler, täckningstabellen ryms, ingen sista sida med bara sidfoten', async (t) => {
    const page = await openPage(browser);
    try {
      // The header is for paper only.
      await visit(page, '/kommun/1447');
      assert.equal(await page.$eval('div.utskriftshuvud', (e) => e.checkVisibility()).catch(() => null), false, 'div.utskriftshuvud exists and is hidden on screen');

      const { pages, footer } = await printToPdf(page, '/kommun/1447', 'utskrift-kommun-1447');
      t.diagnostic(`/kommun/1447: ${pages.length} A4 pages`);
      assertHeader(pages[0], '/kommun/1447 PDF', [NAMES['1447']]);
      const all = pages.join('\n');
      const k = await api('/api/v1/kommuner/1447');
      const round = k.rounds.find((r) => r.default);
      const states = new Set(round.offerings.map((o) => o.state ?? o.status));
      const want = [['▨', 'okänt']];
      const programmes = (await api('/api/v1/programmes')).programmes;
      // Pregnancy, which no catalogue programme is for, prints in the coverage picture (SVG
      // fills are content, not background; bilder.test.mjs checks its pixels) with its legend.
      if (!programmes.some((p) => p.age_min < 0)) assert.match(norm(all), /inget program i katalogen/, '/kommun/1447 PDF: the picture\'s legend names "inget program i katalogen"');
      if (EXAMPLE || states.has('offered')) want.push(['■', 'erbjuds / täckt']);
      if (EXAMPLE || states.has('not_offered')) want.push(['□', 'erbjuds inte / inte täckt']);
      assertSymbols(all, '/kommun/1447 PDF', want);
      assert.match(all, /okänt/, '/kommun/1447 PDF: the word okänt stays beside its symbol');
      assert.ok(pages.length <= 8, `/kommun/1447 PDF: ${pages.length} pages is too many for one kommun`);
      const last = nonFooterLines(pages.at(-1), footer);
      assert.ok(last.length > 0, `/kommun/1447 PDF: the last page (${pages.length}) holds only the footer:\n${pages.at(-1)}`);

      // The coverage grid fits A4 portrait: laid out at the printable width, nothing sticks out.
      await page.setViewport({ width: A4_CONTENT_PX, height: 1100 });
      await page.emulateMediaType('print');
      const over = await page.$$eval('table.tackning', (ts) =>
        ts.map((tb) => ({ right: tb.getBoundingClientRect().right, width: document.documentElement.clientWidth, caption: tb.caption?.textContent.trim() })).filter((x) => x.right > x.width + 1),
      );
      assert.deepEqual(over, [], `/kommun/1447 in print at ${A4_CONTENT_PX} px (A4 portrait): table.tackning wider than the page`);
      const shown = await page.$eval('div.utskriftshuvud', (e) => e.checkVisibility());
      assert.equal(shown, true, 'div.utskriftshuvud is shown in print');
      await page.emulateMediaType(null);
      assertNoProblems(page, '/kommun/1447 print');
    } finally {
      await page.close();
    }
  });

  test('/jamfor?kommuner=1447,1473,1493: kompakt, högst 3 sidor', async (t) => {
    const page = await openPage(browser);
    try {
      const p = '/jamfor?kommuner=1447,1473,1493';
      const { pages, footer } = await printToPdf(page, p, 'utskrift-jamfor-3');
      t.diagnostic(`${p}: ${pages.length} A4 pages`);
      const names = ['1447', '1473', '1493'].map((k) => NAMES[k]);
      assertHeader(pages[0], `${p} PDF`, names);
      assertSymbols(pages.join('\n'), `${p} PDF`, EXAMPLE ? [['■', 'täckt'], ['□', 'inte täckt'], ['▨', 'okänt']] : [['▨', 'okänt']]);
      assert.ok(pages.length <= 3, `${p}: printed on ${pages.length} pages; three kommuner should fit on 3 A4 pages`);
      assert.ok(nonFooterLines(pages.at(-1), footer).length > 0, `${p}: the last page holds only the footer`);
      assertNoProblems(page, `${p} print`);
    } finally {
      await page.close();
    }
  });

  test('/kommun/1472/planera (Tibro): en rapport med luckorna, minsta uppsättningen och kommunerna som har programmen', async (t) => {
    const page = await openPage(browser);
    try {
      const p = '/kommun/1472/planera';
      const { pages, footer } = await printToPdf(page, p, 'utskrift-planera-1472');
      t.diagnostic(`${p}: ${pages.length} A4 pages`);
      assertHeader(pages[0], `${p} PDF`, [NAMES['1472'], 'universell nivå']);
      const all = norm(pages.join('\n'));
      const plan = (await api('/api/v1/plan?kommun=1472&level=universal')).levels[0];
      // pdftotext breaks lines where it likes: compare with the whitespace normalised.
      assert.ok(all.includes(norm(plan.smallest_set.summary)), `${p} PDF: the smallest set "${plan.smallest_set.summary}"`);
      for (const g of plan.gaps) assert.ok(all.includes(`${g.kind_label}`), `${p} PDF: the gap ${g.label} (${g.kind_label})`);
      // The ages are drawn (the picture prints; its table is behind "Visa som tabell"): the
      // picture's legend names the states in words.
      if (plan.unknown_ages.length) assert.ok(all.includes('okänt – svar saknas'), `${p} PDF: the legend's okänt`);
      if (plan.smallest_set.covered_after.length) assert.ok(all.includes('täckt'), `${p} PDF: the legend's täckt`);
      assert.ok(all.includes('Med planen'), `${p} PDF: the picture's row "Med planen"`);
      assert.ok(pages.length <= 6, `${p}: ${pages.length} pages is too many for one level's plan`);
      assert.ok(nonFooterLines(pages.at(-1), footer).length > 0, `${p}: the last page holds only the footer`);
      // The drawn ages and the programme tables fit A4 portrait.
      await page.setViewport({ width: A4_CONTENT_PX, height: 1100 });
      await page.emulateMediaType('print');
      const over = await page.$$eval('main table', (ts) => ts.filter((tb) => tb.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((tb) => tb.caption?.textContent.trim()));
      assert.deepEqual(over, [], `${p} in print at ${A4_CONTENT_PX} px (A4 portrait): tables wider than the page`);
      assert.equal(await page.$eval('form.omgang', (f) => f.checkVisibility()), false, `${p}: the level form is not printed`);
      await page.emulateMediaType(null);
      assertNoProblems(page, `${p} print`);
    } finally {
      await page.close();
    }
  });

  test('/kommun/1472: den utskrivna rapporten har minsta uppsättningen per nivå', async () => {
    const page = await openPage(browser);
    try {
      const { pages } = await printToPdf(page, '/kommun/1472', 'utskrift-kommun-1472');
      const all = norm(pages.join('\n'));
      assert.ok(all.includes('Vad skulle stänga luckorna?'), '/kommun/1472 PDF: the plan summary\'s heading');
      for (const l of (await api('/api/v1/plan?kommun=1472')).levels) {
        assert.ok(all.includes(norm(l.smallest_set.summary)), `/kommun/1472 PDF: ${l.level}: "${l.smallest_set.summary}"`);
      }
      assertNoProblems(page, '/kommun/1472 print');
    } finally {
      await page.close();
    }
  });

  for (const p of ['/kommun/1447', '/jamfor?kommuner=1447,1473,1493', '/kommun/1472/planera']) {
    test(`${p}: knappen "Skriv ut rapport" skriver ut`, async () => {
      const page = await openPage(browser);
      try {
        await visit(page, p);
        const b = await page.$eval('button#skriv-ut', (e) => ({ type: e.getAttribute('type'), text: e.textContent.trim(), shown: e.checkVisibility() })).catch(() => null);
        assert.ok(b, `${p}: no button#skriv-ut`);
        assert.deepEqual(b, { type: 'button', text: 'Skriv ut rapport', shown: true }, `${p}: button#skriv-ut (shown once the script runs)`);
        await page.evaluate(() => {
          window.__utskrifter = 0;
          window.print = () => {
            window.__utskrifter += 1;
          };
        });
        await tabTo(page, 'button#skriv-ut');
        await page.keyboard.press('Enter');
        assert.equal(await page.evaluate(() => window.__utskrifter), 1, `${p}: Enter on "Skriv ut rapport" should call window.print() once`);
        assertNoProblems(page, p);
      } finally {
        await page.close();
      }
    });
  }

  test('utan JavaScript är "Skriv ut rapport" dold (den kan inte fungera)', async () => {
    const page = await openPage(browser, { js: false });
    try {
      await visit(page, '/kommun/1447');
      assert.equal(await page.$eval('button#skriv-ut', (e) => e.checkVisibility()).catch(() => null), false, 'button#skriv-ut exists, hidden without JavaScript');
    } finally {
      await page.close();
    }
  });
});
