// The chair's gap planner, /kommun/{kod}/planera, in a real browser: axe-core at each level,
// what the page draws and says agrees with /api/v1/plan (the oracle), the level chooser works by
// keyboard without JavaScript, and the kommun page links to it. The printed report is in
// utskrift.test.mjs; the common frame (skip link, footer, mobile) in sidor/mobil via pageTypes.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AXE_TAGS, api, arrowSelectTo, assertNoProblems, axe, formatViolations, launch, norm, openPage, screenshot, tabTo, visit } from './lib.mjs';

const KOD = '1472';
const LEVELS = ['universal', 'selective', 'indicated'];

/// The page's drawing of the ages: per age row, the "I dag" and "Med planen" cells as text.
async function strip(page) {
  return page.$$eval('table.planremsa tbody tr', (rows) =>
    rows.map((r) => [...r.cells].map((c) => c.textContent.replace(/\s+/g, ' ').trim())),
  );
}

const age = (label) => (label === 'under graviditeten' ? -1 : Number(/^(\d+)/.exec(label)[1]));

describe('planeraren', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const level of LEVELS) {
    const path = `/kommun/${KOD}/planera?level=${level}`;
    test(`${path}: axe-core utan fel, och sidan säger samma sak som /api/v1/plan`, async () => {
      const page = await openPage(browser);
      try {
        await visit(page, path);
        await screenshot(page, `planera-${KOD}-${level}`);
        const vs = await axe(page);
        assert.equal(vs.length, 0, `${path}: ${vs.length} axe violation(s) (${AXE_TAGS.join(', ')}):\n${formatViolations(vs)}`);

        const plan = (await api(`/api/v1/plan?kommun=${KOD}&level=${level}`)).levels[0];
        const covered = new Set(plan.covered_ages);
        const unknown = new Set(plan.unknown_ages);
        const after = new Set(plan.smallest_set.covered_after);
        const rows = await strip(page);
        assert.equal(rows.length, 19, `${path}: the drawing has a row per age (pregnancy and 0–17)`);
        for (const [label, today, planned] of rows) {
          const a = age(label);
          if (covered.has(a)) assert.equal(today, 'täckt', `${path}: ${label} today`);
          else if (unknown.has(a)) assert.equal(today, 'okänt', `${path}: ${label} today`);
          else assert.match(today, /^(inte täckt|inget program i katalogen)$/, `${path}: ${label} today`);
          if (after.has(a) && !covered.has(a)) assert.equal(planned, 'täcks med planen', `${path}: ${label} with the plan`);
          if (!after.has(a)) assert.equal(planned, today, `${path}: ${label} is not covered by the plan either`);
        }

        const body = norm(await page.$eval('main', (m) => m.textContent));
        assert.ok(body.includes(plan.smallest_set.summary), `${path}: the smallest set "${plan.smallest_set.summary}"`);
        for (const g of plan.gaps) {
          const h = await page.$eval(`h3#lucka-${g.from}-${g.to}`, (e) => e.textContent.replace(/\s+/g, ' ').trim()).catch(() => null);
          assert.equal(h, `${g.label.charAt(0).toUpperCase()}${g.label.slice(1)}: ${g.kind_label}`, `${path}: the gap ${g.label}`);
          if (g.settle) assert.ok(body.includes(g.settle.text), `${path}: the answers that settle ${g.label}`);
          // Each programme of the gap, with its nearest kommun that runs it.
          const rowsOfGap = await page.$$eval(`h3#lucka-${g.from}-${g.to} + div table tbody tr`, (trs) =>
            trs.map((tr) => ({ name: tr.querySelector('th a').textContent.trim(), runs: tr.cells[4].textContent.replace(/\s+/g, ' ').trim() })),
          );
          assert.equal(rowsOfGap.length, g.programmes.length, `${path}: ${g.label}: one row per programme`);
          for (const gp of g.programmes) {
            const p = plan.programmes.find((x) => x.slug === gp.programme);
            const row = rowsOfGap.find((r) => r.name === p.name);
            assert.ok(row, `${path}: ${g.label}: no row for ${p.name}`);
            if (p.offered_in.length === 0) assert.match(row.runs, /ingen kommun i regionen/, `${path}: ${p.name}`);
            else assert.ok(row.runs.startsWith(p.offered_in[0].namn), `${path}: ${p.name}: nearest first (${p.offered_in[0].namn}), got "${row.runs.slice(0, 60)}"`);
          }
        }
        assertNoProblems(page, path);
      } finally {
        await page.close();
      }
    });
  }

  test('nivån väljs med tangentbordet och formuläret skickas utan JavaScript', async () => {
    const page = await openPage(browser, { js: false });
    try {
      await visit(page, `/kommun/${KOD}/planera`);
      await tabTo(page, 'select#p-niva');
      await arrowSelectTo(page, 'select#p-niva', 'indicated');
      await tabTo(page, 'form.omgang button[type="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      const u = new URL(page.url());
      assert.equal(u.pathname, `/kommun/${KOD}/planera`);
      assert.equal(u.searchParams.get('level'), 'indicated');
      assert.equal(norm(await page.$eval('#h-luckor', (e) => e.textContent)), 'Luckor på indikerad nivå');
      assertNoProblems(page, 'the level form without script');
    } finally {
      await page.close();
    }
  });

  test('kommunsidan länkar till planeraren och visar minsta uppsättningen per nivå', async () => {
    const page = await openPage(browser);
    try {
      await visit(page, `/kommun/${KOD}`);
      const plans = (await api(`/api/v1/plan?kommun=${KOD}`)).levels;
      const summary = await page.$eval('#luckor dl.plansammanfattning', (d) => d.textContent.replace(/\s+/g, ' ').trim());
      for (const l of plans) assert.ok(summary.includes(l.smallest_set.summary), `/kommun/${KOD}: ${l.level}: "${l.smallest_set.summary}"`);
      await tabTo(page, `#luckor a[href="/kommun/${KOD}/planera"]`);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, `/kommun/${KOD}/planera`);
      assertNoProblems(page, `/kommun/${KOD} → planeraren`);
    } finally {
      await page.close();
    }
  });
});
