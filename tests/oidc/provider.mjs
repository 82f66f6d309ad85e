// A real OpenID provider for tests/auth.rs: oidc-provider on 127.0.0.1 and a free port, one
// confidential client (PKCE required), and a minimal login page that signs in whatever
// subject is typed (the tests choose who they are). Consent is granted by the provider itself
// (loadExistingGrant), as an organisation's provider does for its own services.
//
//   CLIENT_ID=… CLIENT_SECRET=… REDIRECT_URI=http://127.0.0.1:P/admin/oidc/callback node provider.mjs
//
// Prints `ready http://127.0.0.1:PORT` (the issuer) once it listens; stops on SIGTERM or when
// its standard input closes (the test process ended).

import http from 'node:http';
import Provider from 'oidc-provider';

const { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } = process.env;
if (!CLIENT_ID || !CLIENT_SECRET || !REDIRECT_URI) {
  console.error('provider.mjs: set CLIENT_ID, CLIENT_SECRET and REDIRECT_URI');
  process.exit(2);
}

let provider;

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function body(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// GET /interaction/:uid shows the login form; POST /interaction/:uid/login finishes it.
async function interaction(req, res, uid, login) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (!login) {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html lang="en"><title>Test provider</title>
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="login">Subject</label> <input id="login" name="login" autocomplete="username">
<button type="submit">Sign in</button></form></html>`);
    return;
  }
  const subject = (await body(req)).get('login');
  if (!subject) {
    res.statusCode = 400;
    res.end('no subject');
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: subject } },
    { mergeWithLastSubmission: false },
  );
}

const server = http.createServer((req, res) => {
  const m = new URL(req.url, 'http://x').pathname.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (m) {
    interaction(req, res, m[1], Boolean(m[2]) && req.method === 'POST').catch((e) => {
      res.statusCode = 500;
      res.end(`interaction failed: ${e}`);
    });
    return;
  }
  provider.callback()(req, res);
});

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, i) => `/interaction/${i.uid}` },
    cookies: { keys: ['skaraborgskartan-test-only'] },
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    async loadExistingGrant(ctx) {
      const { client, session } = ctx.oidc;
      const id = session.grantIdFor(client.clientId);
      if (id) return ctx.oidc.provider.Grant.find(id);
      const grant = new ctx.oidc.provider.Grant({
        clientId: client.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope('openid');
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
  });
  console.log(`ready ${issuer}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
