// Headless Chromium signs in over HTTPS, trusting authemu's generated CA through an NSS database
// (HOME/.pki/nssdb, made by certutil; no certificate error is ignored): authorization code + PKCE
// for the web client, alice/alice on the login page's password form, back to a redirect URI that
// this script answers itself (request interception), the code redeemed by openid-client v6 (state,
// iss, nonce and the ID token checked). The cookies authemu set must be __Host-, Secure, HttpOnly.
// Then a Chromium whose HOME has no NSS database must refuse the certificate.
//
// Usage: NODE_EXTRA_CA_CERTS=CA node tls_browser.mjs ISSUER NODE_DIR TRUSTING_HOME EMPTY_HOME SCREENSHOT
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { check, finish } from './checks.mjs';

const [issuer, nodeDir, trustingHome, emptyHome, screenshot] = process.argv.slice(2);
const require = createRequire(pathToFileURL(nodeDir + '/'));
const load = async (name) => import(pathToFileURL(require.resolve(name)));
const puppeteer = (await load('puppeteer-core')).default;
const client = await load('openid-client');
const ALICE = '5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01';
const CALLBACK = 'http://127.0.0.1:4/callback';
const show = (v) => (v instanceof Error ? `${v.name}: ${v.message}` : JSON.stringify(v)?.slice(0, 500));

const launch = (home) => puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  env: { ...process.env, HOME: home },
  timeout: 15000,
});
const watchdog = setTimeout(() => { check('the browser sign-in finishes within 40 s', false); process.exit(1); }, 40000);
watchdog.unref();

const b64url = (b) => b.toString('base64url');
const verifier = b64url(randomBytes(32));
const challenge = b64url(createHash('sha256').update(verifier).digest());
const state = b64url(randomBytes(12));
const nonce = b64url(randomBytes(12));
const authorize = `${issuer}/authorize?` + new URLSearchParams({
  client_id: 'web', redirect_uri: CALLBACK, response_type: 'code', scope: 'openid email', state, nonce,
  code_challenge: challenge, code_challenge_method: 'S256',
});

let browser = await launch(trustingHome);
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(8000);
  // The relying party's redirect URI: answered here, its URL kept.
  let callback = null;
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    if (r.url().startsWith(CALLBACK)) {
      callback = r.url();
      r.respond({ status: 200, contentType: 'text/html', body: '<p id="back">back at the client</p>' });
    } else r.continue();
  });

  const res = await page.goto(authorize).catch((e) => e);
  check('chromium: the login page loads over HTTPS with the CA from the NSS database', res?.status?.() === 200, show(res));
  const sec = res?.securityDetails?.();
  check('chromium: the connection is TLS 1.2 or 1.3, issued by the authemu CA',
    ['TLS 1.3', 'TLS 1.2'].includes(sec?.protocol()) && /authemu/.test(sec?.issuer() ?? ''), show([sec?.protocol(), sec?.issuer()]));
  check('chromium: the login page is a secure context',
    await page.evaluate(() => window.isSecureContext && location.protocol === 'https:').catch(() => false));
  check('chromium: the login page has the password form', (await page.$('form input[name=password]')) !== null);
  await page.setViewport({ width: 900, height: 1000 });
  await page.screenshot({ path: screenshot, fullPage: true });

  await page.type('#username', 'alice');
  await page.type('#password', 'alice');
  await Promise.all([page.waitForSelector('#back'), page.click('form:has(input[name=password]) button[type=submit]')]);
  check('chromium: signing in as alice/alice returns to the redirect URI', callback !== null, page.url());

  // Every cookie authemu set in this browser: __Host- prefixed, Secure, HttpOnly, host-only, Path=/.
  const cdp = await page.createCDPSession();
  const { cookies } = await cdp.send('Network.getAllCookies');
  const ours = cookies.filter((c) => c.domain === new URL(issuer).hostname);
  check('chromium: authemu set cookies (login and session)', ours.length >= 1, show(cookies));
  const bad = ours.filter((c) => !(c.name.startsWith('__Host-') && c.secure && c.httpOnly && c.path === '/' && !c.domain.startsWith('.')));
  check('chromium: each is __Host-prefixed, Secure, HttpOnly, host-only with Path=/', ours.length > 0 && bad.length === 0, show(bad.length ? bad : ours));
  check('chromium: the session cookie (__Host-authemu_sid_…) is among them', ours.some((c) => c.name.startsWith('__Host-authemu_sid_')), show(ours.map((c) => c.name)));

  if (callback) {
    const config = await client.discovery(new URL(issuer), 'web', 'web');
    const tokens = await client.authorizationCodeGrant(config, new URL(callback), {
      pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
    }).catch((e) => e);
    const claims = tokens instanceof Error ? null : tokens.claims();
    check('openid-client: the code is redeemed with PKCE (state, iss, nonce, ID token checked)', claims?.sub === ALICE, show(tokens instanceof Error ? tokens : claims));
    check('the ID token says a password sign-in', claims?.amr?.includes('pwd'), show(claims?.amr));
  }
} catch (e) {
  check('chromium: the browser sign-in over HTTPS runs', false, show(e));
} finally {
  await browser.close();
}

// No NSS database: Chromium refuses the certificate.
browser = await launch(emptyHome);
try {
  const page = await browser.newPage();
  const err = await page.goto(`${issuer}/.well-known/openid-configuration`, { timeout: 8000 }).then(() => 'loaded', (e) => e.message);
  check('chromium without the NSS database: net::ERR_CERT_AUTHORITY_INVALID', /ERR_CERT_AUTHORITY_INVALID/.test(err), err);
} finally {
  await browser.close();
}
finish();
