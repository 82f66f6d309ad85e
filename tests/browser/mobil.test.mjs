// Every page type on a phone (375×740, touch): no sideways scrolling (WCAG 1.4.10), no axe-core
// violations (WCAG 2.1 A/AA and best practice, with the page's script run; tables become
// stacked cards there and every scroll box must be reachable by keyboard), table.staplad stacked
// with a data-label on every cell; screenshots at phone size. Desktop: sidor.test.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AXE_TAGS, MOBILE, assertNoProblems, axe, formatViolations, launch, openPage, pageTypes, screenshot, visit } from './lib.mjs';

const PAGES = await pageTypes();

describe('sidor på mobil', () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const pt of PAGES) {
    test(`${pt.name}: fungerar på mobil (375×740) utan vågrät rullning, axe-core utan fel`, async () => {
      const page = await openPage(browser, { viewport: MOBILE });
      try {
        await visit(page, pt.path, { status: pt.status ?? 200 });
        await screenshot(page, pt.name);
        const w = await page.evaluate(() => {
          const client = document.documentElement.clientWidth;
          // The innermost elements that stick out, to say where the problem is.
          const out = [...document.body.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > client + 1 || e.scrollWidth > e.clientWidth + 1);
          const leaves = out.filter((e) => !out.some((o) => o !== e && e.contains(o)));
          const name = (e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.classList.length ? '.' + [...e.classList].join('.') : ''} (right ${Math.round(e.getBoundingClientRect().right)} px)`;
          return { scroll: document.documentElement.scrollWidth, client, culprits: leaves.slice(0, 5).map(name) };
        });
        assert.ok(w.scroll <= w.client, `${pt.path} at 375 px: page scrolls sideways (scrollWidth ${w.scroll} > ${w.client}; WCAG 1.4.10); sticking out: ${w.culprits.join(', ')}`);
        const vs = await axe(page);
        assert.equal(vs.length, 0, `${pt.path} at 375 px: ${vs.length} axe violation(s) (${AXE_TAGS.join(', ')}):\n${formatViolations(vs)}`);
        // Phone tables: a table that becomes cards (table.staplad) names every value's column.
        const unlabelled = await page.$$eval('table.staplad tbody td, table.staplad tbody th', (cs) =>
          cs.filter((c) => !c.getAttribute('data-label')).map((c) => `${c.closest('table').caption?.textContent.trim() ?? 'table'}: ${c.textContent.trim().slice(0, 40)}`),
        );
        assert.deepEqual(unlabelled, [], `${pt.path}: cells of table.staplad without data-label`);
        const stacked = await page.$$eval('table.staplad', (ts) => ts.filter((t) => t.checkVisibility()).map((t) => getComputedStyle(t).display));
        assert.ok(stacked.every((d) => d === 'block'), `${pt.path} at 375 px: table.staplad should be stacked cards (display ${JSON.stringify(stacked)})`);
        const regions = await page.$$eval('.tabellram', (rs) => rs.filter((r) => r.getAttribute('tabindex') !== '0' || r.getAttribute('role') !== 'region' || !r.getAttribute('aria-label')).map((r) => r.outerHTML.slice(0, 100)));
        assert.deepEqual(regions, [], `${pt.path}: every .tabellram scroll box has tabindex="0" role="region" aria-label`);
        assertNoProblems(page, `${pt.path} (375×740)`);
      } finally {
        await page.close();
      }
    });
  }

});
