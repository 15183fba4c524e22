// A tiny relying party for the browser tests: an HTTP server on 127.0.0.1 (a random port) that
// signs users in at authemu with openid-client v6, as a real web app would. It keeps no secrets
// of the test: it only does what an RP does and reports what it saw.
//
// Routes: GET /login?app=NAME[&response_mode=…&prompt=…&login_hint=…] starts a sign-in (state,
// nonce, PKCE S256 kept server-side, a cookie per sign-in), GET|POST /callback finishes it (the code
// grant, the ID token checks, userinfo) and shows the outcome as JSON in <pre id="outcome">,
// GET /logout?app=NAME ends the session at authemu (RP-Initiated Logout with id_token_hint),
// GET / is where authemu sends the browser back after logout.
//
// startRp({ nodeDir, apps }) -> { url, outcomes, close() }; apps maps a name to
// { issuer, clientId, clientSecret (absent: a public client, token auth None), scope }.
// As a program: node browser_rp.mjs ISSUER NODE_DIR, then open the printed URL/login?app=web.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { randomBytes, createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';

export async function loadModules(nodeDir) {
  const require = createRequire(pathToFileURL(nodeDir + '/'));
  const load = (name) => import(pathToFileURL(require.resolve(name)));
  return { client: await load('openid-client'), jose: await load('jose') };
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`;

// OIDC Core §3.1.3.6: at_hash is the base64url of the left half of the access token's hash,
// SHA-256 for RS256/ES256/PS256 (openid-client v6 does not check it in the code flow).
export function atHash(accessToken, alg) {
  const bits = { 256: 'sha256', 384: 'sha384', 512: 'sha512' }[alg.slice(-3)];
  const digest = createHash(bits).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export async function startRp({ nodeDir, apps }) {
  const { client, jose } = await loadModules(nodeDir);
  const configs = new Map(); // app name -> { config, jwks, app }
  const pending = new Map(); // transaction id (cookie) -> { app, state, nonce, verifier }
  const lastIdToken = new Map(); // app name -> the latest ID token, for logout
  const outcomes = []; // every callback's outcome, in order: { app, ok, error, claims, userinfo, ... }
  const events = []; // { at: performance.now(), what } for timing

  async function configFor(name) {
    if (!configs.has(name)) {
      const app = apps[name];
      if (!app) throw new Error(`unknown app ${name}`);
      const auth = app.clientSecret ? client.ClientSecretBasic(app.clientSecret) : client.None();
      const config = await client.discovery(new URL(app.issuer), app.clientId, undefined, auth, {
        execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks],
        timeout: 5,
      });
      const jwks = jose.createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri));
      configs.set(name, { config, jwks, app });
    }
    return configs.get(name);
  }

  async function login(req, res, url) {
    const name = url.searchParams.get('app') || 'web';
    const { config, app } = await configFor(name);
    const tx = { app: name, state: client.randomState(), nonce: client.randomNonce(), verifier: client.randomPKCECodeVerifier() };
    const id = randomBytes(16).toString('base64url');
    pending.set(id, tx);
    const params = {
      redirect_uri: `${base}/callback`,
      scope: app.scope || 'openid profile email',
      state: tx.state,
      nonce: tx.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
    };
    for (const k of ['response_mode', 'prompt', 'login_hint', 'max_age']) {
      if (url.searchParams.has(k)) params[k] = url.searchParams.get(k);
    }
    const target = client.buildAuthorizationUrl(config, params);
    res.writeHead(302, { location: target.href, 'set-cookie': `rp_tx_${id}=1; Path=/; HttpOnly; SameSite=Lax; Max-Age=600` });
    res.end();
  }

  // The transaction an answer belongs to: one of this browser's (a cookie each, so that sign-ins in
  // two tabs do not clash), the one with the answer's state. A form_post answer is a cross-site POST
  // (the issuer is on localhost, the RP on 127.0.0.1) that carries no SameSite=Lax cookie: there
  // the state alone finds it. openid-client compares the state again.
  function transaction(req, answer) {
    const mine = (req.headers.cookie || '').split(/;\s*/).map((c) => c.split('=')[0]).filter((k) => k.startsWith('rp_tx_'));
    const candidates = req.method === 'POST' ? [...pending.keys()] : mine.map((k) => k.slice('rp_tx_'.length));
    const id = candidates.find((k) => pending.get(k)?.state === answer.get('state'));
    if (!id) throw new Error('no sign-in in progress for this browser with this state');
    const tx = pending.get(id);
    pending.delete(id);
    return { ...tx, id };
  }

  async function callback(req, res, url) {
    let current = url;
    let posted;
    if (req.method === 'POST') {
      // response_mode=form_post: openid-client reads the answer from a Request's form body.
      const body = await new Promise((resolve) => {
        let data = '';
        req.on('data', (d) => (data += d));
        req.on('end', () => resolve(data));
      });
      current = new Request(url, { method: 'POST', body, headers: { 'content-type': req.headers['content-type'] } });
      posted = new URLSearchParams(body);
    }
    const tx = transaction(req, posted || url.searchParams);
    const { config, jwks, app } = await configFor(tx.app);
    const outcome = { app: tx.app, ok: false, method: req.method };
    if (posted) outcome.posted = Object.fromEntries(posted);
    else outcome.query = Object.fromEntries(url.searchParams);
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: tx.verifier,
        expectedNonce: tx.nonce,
        expectedState: tx.state,
        idTokenExpected: true,
      });
      events.push({ at: performance.now(), what: 'tokens' });
      const claims = tokens.claims();
      const { protectedHeader } = await jose.jwtVerify(tokens.id_token, jwks, {
        issuer: app.issuer,
        audience: app.clientId,
      });
      outcome.claims = claims;
      outcome.idTokenSignature = 'verified';
      outcome.atHashMatches = claims.at_hash === atHash(tokens.access_token, protectedHeader.alg);
      outcome.userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      outcome.scope = tokens.scope;
      outcome.hasRefreshToken = Boolean(tokens.refresh_token);
      outcome.ok = true;
      lastIdToken.set(tx.app, tokens.id_token);
    } catch (e) {
      outcome.error = e.error || e.code || e.name;
      outcome.errorDescription = e.error_description || e.message;
    }
    outcomes.push(outcome);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'set-cookie': `rp_tx_${tx.id}=; Path=/; Max-Age=0` });
    res.end(page('callback', `<pre id="outcome">${escape(JSON.stringify(outcome, null, 1))}</pre>`));
  }

  async function logout(req, res, url) {
    const name = url.searchParams.get('app') || 'web';
    const { config } = await configFor(name);
    const params = { post_logout_redirect_uri: `${base}/`, state: 'bye-' + name };
    if (lastIdToken.has(name)) params.id_token_hint = lastIdToken.get(name);
    const target = client.buildEndSessionUrl(config, params);
    res.writeHead(302, { location: target.href });
    res.end();
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, base);
    try {
      if (url.pathname === '/login') return await login(req, res, url);
      if (url.pathname === '/callback') return await callback(req, res, url);
      if (url.pathname === '/logout') return await logout(req, res, url);
      if (url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page('home', `<p id="home">signed out; state=${escape(url.searchParams.get('state') || '')}</p>`));
      }
      res.writeHead(404).end();
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`rp error: ${e.message}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: base,
    outcomes,
    events,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [issuer, nodeDir] = process.argv.slice(2);
  const rp = await startRp({
    nodeDir,
    apps: { web: { issuer, clientId: 'web', clientSecret: 'web' }, spa: { issuer, clientId: 'spa' } },
  });
  console.log(`${rp.url}/login?app=web`);
}
