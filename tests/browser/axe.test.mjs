// axe-core (WCAG 2.1 A/AA and best practice) on every page type at desktop width, with the
// page's script run (the map and the updated results are part of what is checked).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AXE_TAGS, DESKTOP, axe, formatViolations, launch, openPage, pageTypes, visit } from './lib.mjs';

const PAGES = await pageTypes();

describe(`axe-core (${AXE_TAGS.join(', ')})`, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const pt of PAGES) {
    test(`${pt.name}: ${pt.path} har inga axe-fel`, async () => {
      const page = await openPage(browser, { viewport: DESKTOP });
      try {
        await visit(page, pt.path, { status: pt.status ?? 200 });
        const vs = await axe(page);
        assert.equal(vs.length, 0, `${pt.path}: ${vs.length} axe violation(s):\n${formatViolations(vs)}`);
      } finally {
        await page.close();
      }
    });
  }
});
