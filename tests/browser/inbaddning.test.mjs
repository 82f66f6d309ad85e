// Embedding from another origin, as a kommun's website does: a host page on http://localhost:P
// (P from SKK_EMBED_PORT, an origin tests/browser.rs started the service to allow) frames
// `?embed=1&kommun=1472&age=13`, and the frame shows the answer; the same host page on another
// port (an origin not on the list) is refused by the service's CSP frame-ancestors. The service
// itself is at http://127.0.0.1:…, so both hosts are other origins.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BASE, EXAMPLE, SETTLE_MS, fetchText, launch, openPage, screenshot } from './lib.mjs';

const EMBED_PORT = Number(process.env.SKK_EMBED_PORT || 0);
const FRAMED = `${BASE}/?embed=1&kommun=1472&age=13`;

function hostPage() {
  return `<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Tibro kommun – föräldrastöd</title></head>
<body><h1>Föräldrastöd i Tibro</h1>
<iframe id="skk" title="Skaraborgskartan: föräldraskapsstöd i Tibro" src="${FRAMED}" width="640" height="900"></iframe>
</body></html>`;
}

/// A plain host page server on 127.0.0.1:port (0: any free port); resolves to [server, port].
function serveHost(port) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      if (req.url === '/' || req.url.startsWith('/?')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(hostPage());
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('finns inte');
      }
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve([server, server.address().port]));
  });
}

/// The frame that should hold the service, once it has finished loading (or failed).
async function serviceFrame(page) {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const f = page.frames().find((x) => x !== page.mainFrame());
    if (f) {
      const u = f.url();
      if (u.startsWith('chrome-error:')) return { frame: f, url: u };
      if (u.startsWith(BASE)) {
        try {
          const ready = await f.evaluate(() => document.readyState === 'complete');
          if (ready) return { frame: f, url: u };
        } catch {
          // navigating; try again
        }
      }
    }
    if (Date.now() > deadline) return { frame: f ?? null, url: f?.url() ?? null };
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('inbäddning från en annan webbplats', { skip: EMBED_PORT ? false : 'SKK_EMBED_PORT not set (tests/browser.rs sets it)' }, () => {
  let browser;
  let allowed;
  let refused;
  before(async () => {
    browser = await launch();
    [allowed] = await serveHost(EMBED_PORT);
    refused = await serveHost(0);
  });
  after(async () => {
    await browser?.close();
    allowed?.close();
    refused?.[0].close();
  });

  test(`tillåten: http://localhost:${EMBED_PORT} ramar in ?embed=1&kommun=1472&age=13`, async () => {
    const csp = (await fetchText('/?embed=1&kommun=1472&age=13')).headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`frame-ancestors [^;]*http://localhost:${EMBED_PORT}`), `the service should allow http://localhost:${EMBED_PORT} in frame-ancestors: ${csp}`);
    const page = await openPage(browser);
    try {
      await page.goto(`http://localhost:${EMBED_PORT}/`, { waitUntil: 'networkidle0' });
      const { frame, url } = await serviceFrame(page);
      assert.ok(frame && url?.startsWith(BASE), `the iframe should show the service (frame URL: ${url})`);
      const got = await frame.evaluate(() => ({
        inbaddad: document.body.classList.contains('inbaddad'),
        base: document.querySelector('base')?.getAttribute('target') ?? null,
        cards: [...document.querySelectorAll('li.kort')].map((li) => ({
          title: li.querySelector('h4 a')?.textContent.trim(),
          href: li.querySelector('h4 a')?.getAttribute('href'),
          kontakt: li.querySelector('a.kontakt')?.textContent.replace(/\s+/g, ' ').trim() ?? null,
        })),
        ingetBekraftat: document.querySelector('p.inget-bekraftat')?.textContent.trim() ?? null,
        kommunkontakt: document.querySelector('p.kommunkontakt a')?.getAttribute('href') ?? null,
        map: !!document.querySelector('#karta'),
        list: !!document.querySelector('#kommunlista'),
        height: document.documentElement.scrollHeight,
      }));
      await screenshot(page, 'inbaddad-fran-annan-webbplats');
      assert.ok(got.inbaddad, 'the framed page has body.inbaddad');
      assert.equal(got.base, '_top', 'links in the frame open in the top window (<base target="_top">)');
      assert.equal(got.map, false, 'the embedded view has no map');
      assert.equal(got.list, false, 'the embedded view has no kommun list');
      if (EXAMPLE) {
        assert.ok(got.cards.length > 0, 'example data: the frame shows cards for Tibro, 13 år');
        for (const c of got.cards) assert.match(c.kontakt ?? '', /^Kontakt och anmälan/, `card ${c.title}: "Kontakt och anmälan" link`);
      } else {
        assert.ok(got.ingetBekraftat, 'real data: the frame says plainly that nothing is confirmed (p.inget-bekraftat)');
        assert.ok(got.kommunkontakt, 'real data: the frame gives the kommun\'s contact (p.kommunkontakt a)');
      }
      // A link in the frame opens in the top window (the kommun's visitor leaves the frame).
      const link = await frame.$('li.kort h4 a, p.kommunkontakt a, a[href^="/kommun/"]');
      if (link && EXAMPLE) {
        const href = await link.evaluate((a) => a.href);
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
        assert.equal(page.url(), href, 'the card link should open in the top window');
      }
    } finally {
      await page.close();
    }
  });

  test('vägrad: en webbplats som inte står på listan får inte rama in tjänsten', async () => {
    const port = refused[1];
    const page = await openPage(browser);
    try {
      await page.goto(`http://localhost:${port}/`, { waitUntil: 'networkidle0' });
      const { frame, url } = await serviceFrame(page);
      let rendered = false;
      if (frame && url?.startsWith(BASE)) {
        rendered = await frame.evaluate(() => !!document.querySelector('body.inbaddad')).catch(() => false);
      }
      assert.equal(rendered, false, `http://localhost:${port} is not allowed: the frame must not render the service (frame URL: ${url})`);
      const problems = page.problems();
      assert.ok(
        problems.some((p) => /frame-ancestors|Refused to frame/i.test(p)) || (url ?? '').startsWith('chrome-error:'),
        `the browser should refuse the frame by CSP frame-ancestors (frame URL ${url}; console: ${problems.join(' | ')})`,
      );
    } finally {
      await page.close();
    }
  });
});
