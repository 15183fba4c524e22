// Browser sign-in end to end: headless Chromium (puppeteer-core) drives the relying party of
// scripts/browser_rp.mjs (openid-client v6) through authemu's login page, as a person would.
//
// Usage: node browser_flow.mjs ISSUER NODE_DIR SCREENSHOT. SANDBOX_CLIENT_ID and
// SANDBOX_CLIENT_SECRET name a confidential client of the sandbox environment whose redirect URI
// is http://127.0.0.1/callback. Prints "ok - …" / "not ok - …" lines and "# measured: …".
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { startRp } from './browser_rp.mjs';
import { check, finish } from './checks.mjs';

const [issuer, nodeDir, screenshot] = process.argv.slice(2);
const origin = new URL(issuer).origin;
const sandboxIssuer = `${origin}/sandbox/api/auth`;
const ALICE = '5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01';
const BOB = '8b7e2c44-6f1d-4f0a-b3c5-9a2e4d6f8a02';
const PLATFORM_ALICE = '7a1e5c3d-9b2f-4e6a-8c0d-1f2e3a4b5c04';
// RFC 9562 §5.5 in the URL namespace, computed here independently of authemu.
function uuidV5(name) {
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(Buffer.concat([ns, Buffer.from(name)])).digest().subarray(0, 16);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
const STEP_TIMEOUT = 8000;

const show = (v) => JSON.stringify(v)?.slice(0, 400);

const require = createRequire(pathToFileURL(nodeDir + '/'));
const puppeteer = (await import(pathToFileURL(require.resolve('puppeteer-core')))).default;

const rp = await startRp({
  nodeDir,
  apps: {
    web: { issuer, clientId: 'web', clientSecret: 'web' },
    spa: { issuer, clientId: 'spa' },
    sandbox: { issuer: sandboxIssuer, clientId: process.env.SANDBOX_CLIENT_ID, clientSecret: process.env.SANDBOX_CLIENT_SECRET },
  },
});
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  timeout: 15000,
});
// Whatever happens, Chromium and the RP go away: on a hang, after 50 s.
const watchdog = setTimeout(() => {
  check('the browser flow finishes within 50 s', false, 'watchdog fired');
  browser.process()?.kill('SIGKILL');
  process.exit(1);
}, 50000);
watchdog.unref();

// A fresh browser profile (no cookies), with a record of the documents it loaded.
async function freshPage() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.documents = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'document') page.documents.push({ url: r.url(), status: r.status() });
  });
  return page;
}
const loginPagesSince = (page, n) =>
  page.documents.slice(n).filter((d) => new URL(d.url).pathname.endsWith('/authorize') && d.status === 200).length;

// Waits for the RP's callback, its home page, or an authemu page with a heading (the login page or
// an error page; not form_post's interim page) and returns what it shows.
async function landing(page) {
  await page.waitForSelector('#outcome, #home, main h1');
  const text = (sel) => page.$eval(sel, (e) => e.textContent).catch(() => null);
  const outcome = await text('#outcome');
  if (outcome !== null) return { outcome: JSON.parse(outcome) };
  const home = await text('#home');
  if (home !== null) return { home, url: page.url() };
  if (await page.$('form input[name=csrf]')) return { loginPage: true, url: page.url() };
  return { errorPage: (await page.$eval('main', (e) => e.innerText)).replace(/\s+/g, ' '), url: page.url() };
}
async function start(page, query) {
  await page.goto(`${rp.url}/login?${query}`);
  return landing(page);
}
async function submit(page, selector) {
  await page.bringToFront();
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return landing(page);
}
const userButton = (name) => `button[name="as"][value="${name}"]`;

// Every check of a successful sign-in that openid-client and jose made, plus who signed in.
function signedIn(what, got, sub, iss = issuer) {
  const o = got.outcome;
  if (!o || !o.ok) return check(`${what}: the RP gets tokens`, false, show(got));
  check(`${what}: the RP gets tokens (code, PKCE, state and nonce checked by openid-client)`, true);
  check(`${what}: the ID token is signed by the issuer's JWKS key (jose)`, o.idTokenSignature === 'verified');
  check(`${what}: at_hash matches the access token`, o.atHashMatches, show(o.claims));
  check(`${what}: the ID token names the user`, o.claims.sub === sub && o.claims.iss === iss, show(o.claims));
  check(`${what}: the ID token has sid, auth_time and amr`,
    typeof o.claims.sid === 'string' && Number.isInteger(o.claims.auth_time) && Array.isArray(o.claims.amr), show(o.claims));
  check(`${what}: userinfo answers for the same subject`, o.userinfo?.sub === sub, show(o.userinfo));
  const answer = o.query || o.posted || {};
  check(`${what}: the answer carries iss (RFC 9207)`, answer.iss === iss, show(answer));
  return o;
}

async function run() {
  // The confidential web client (client_secret_basic): page, SSO, logout, page again.
  let page = await freshPage();
  let got = await start(page, 'app=web');
  check('web: RP /login leads to the authemu login page', got.loginPage && got.url.startsWith(`${issuer}/authorize?`), show(got));
  check('web: the login page has a button for alice', (await page.$(userButton('alice'))) !== null);
  const sub = await page.$eval('p.sub', (e) => e.textContent).catch(() => '');
  check('web: the login page shows where the answer goes', sub.includes(`Returns to ${rp.url}/callback`), sub);
  await page.setViewport({ width: 900, height: 1000 });
  await page.screenshot({ path: screenshot, fullPage: true });
  got = await submit(page, userButton('alice'));
  const first = signedIn('web, alice button', got, ALICE);
  if (first) {
    check('web: the user button signs in with amr test', JSON.stringify(first.claims.amr) === '["test"]', show(first.claims.amr));
    check('web: no refresh token without offline_access', first.hasRefreshToken === false);
    check('web: userinfo has the profile and email claims',
      first.userinfo.preferred_username === 'alice' && first.userinfo.email === 'alice@example.com', show(first.userinfo));
  }

  let n = page.documents.length;
  got = await start(page, 'app=web');
  check('web: a second login in the same browser shows no login page (SSO)', loginPagesSince(page, n) === 0 && got.outcome, show(got));
  const second = signedIn('web, SSO', got, ALICE);
  if (first && second) {
    check('web: SSO keeps the session (same sid and auth_time)',
      second.claims.sid === first.claims.sid && second.claims.auth_time === first.claims.auth_time, show([first.claims, second.claims]));
    check('web: SSO gets a fresh nonce into the new ID token', second.claims.nonce !== first.claims.nonce);
  }

  await page.goto(`${rp.url}/logout?app=web`);
  got = await landing(page).catch((e) => ({ error: e.message, url: page.url(), html: '' }));
  const logoutText = got.home ? '' : await page.$eval('main', (e) => e.innerText.replace(/\s+/g, ' ')).catch(() => '');
  check('web: end_session with id_token_hint returns to the RP\'s post_logout_redirect_uri with state',
    got.home === 'signed out; state=bye-web' && got.url.startsWith(`${rp.url}/`), `${page.url().split('?')[0]} says: ${logoutText}`);
  const cookies = await page.browserContext().cookies();
  check('web: logout clears the session cookie', !cookies.some((c) => c.name === 'authemu_sid_default' && c.value !== ''),
    show(cookies.map((c) => c.name)));
  n = page.documents.length;
  got = await start(page, 'app=web');
  check('web: after logout a login shows the page again', got.loginPage === true && loginPagesSince(page, n) === 1, show(got));
  await page.browserContext().close();

  // The public spa client: PKCE and no client authentication at the token endpoint.
  page = await freshPage();
  got = await start(page, 'app=spa');
  check('spa: the login page is shown', got.loginPage === true, show(got));
  got = await submit(page, userButton('bob'));
  signedIn('spa, bob button', got, BOB);
  n = page.documents.length;
  got = await start(page, 'app=web');
  check('spa then web: the session signs in to another client without a page', loginPagesSince(page, n) === 0 && got.outcome?.claims?.sub === BOB,
    show(got));
  n = page.documents.length;
  got = await start(page, 'app=spa&max_age=0');
  check('spa: max_age=0 shows the page despite the session', got.loginPage === true && loginPagesSince(page, n) === 1, show(got));
  n = page.documents.length;
  got = await start(page, 'app=spa&prompt=login');
  check('spa: prompt=login shows the page despite the session', got.loginPage === true && loginPagesSince(page, n) === 1, show(got));
  await page.browserContext().close();

  // Two sign-ins at once in one browser (two tabs): each page still signs in.
  page = await freshPage();
  const tab2 = await page.browserContext().newPage();
  tab2.setDefaultTimeout(STEP_TIMEOUT);
  await start(page, 'app=web');
  await start(tab2, 'app=spa');
  got = await submit(page, userButton('alice'));
  check('two tabs: the first login page still signs in after a second one opened', got.outcome?.ok === true, show(got));
  got = await submit(tab2, userButton('alice'));
  check('two tabs: the second login page signs in too', got.outcome?.ok === true, show(got));
  await page.browserContext().close();

  // prompt=none without a session: login_required at the RP, no page.
  page = await freshPage();
  got = await start(page, 'app=web&prompt=none');
  check('prompt=none without a session: the RP receives login_required', got.outcome?.error === 'login_required', show(got));
  await page.browserContext().close();

  // The admin API decides the next sign-in: no page, the queued user.
  const queued = await fetch(`${origin}/_authemu/logins`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'bob', client_id: 'web' }),
  });
  check('admin: POST /_authemu/logins queues bob', queued.ok, queued.status);
  page = await freshPage();
  got = await start(page, 'app=web');
  check('admin: the queued sign-in shows no page and signs in bob', loginPagesSince(page, 0) === 0 && got.outcome?.claims?.sub === BOB,
    show(got));
  got = await start(page, 'app=spa&prompt=login');
  check('admin: the queue entry is used once', got.loginPage === true, show(got));
  await page.browserContext().close();

  // response_mode=form_post: authemu's page POSTs the answer to the RP's callback.
  page = await freshPage();
  await start(page, 'app=web&response_mode=form_post');
  got = await submit(page, userButton('alice'));
  check('form_post: the callback is a POST', got.outcome?.method === 'POST' && !!got.outcome?.posted?.code, show(got));
  signedIn('form_post', got, ALICE);
  await page.browserContext().close();

  // The password form: a wrong password shows the error on the page, then the right one signs in.
  page = await freshPage();
  await start(page, 'app=spa&login_hint=alice');
  check('password: login_hint fills the username', (await page.$eval('#username', (e) => e.value)) === 'alice');
  await page.type('#password', 'wrong');
  got = await submit(page, 'form:has(#password) button[type=submit]');
  const error = await page.$eval('.error', (e) => e.textContent).catch(() => '');
  check('password: a wrong password shows the error on the page', got.loginPage === true && error === 'Wrong username or password.', error);
  check('password: the failed attempt answers 401', page.documents.at(-1)?.status === 401, show(page.documents.at(-1)));
  await page.$eval('#password', (e) => (e.value = ''));
  await page.type('#password', 'alice');
  got = await submit(page, 'form:has(#password) button[type=submit]');
  const pwd = signedIn('password', got, ALICE);
  if (pwd) check('password: amr is pwd', JSON.stringify(pwd.claims.amr) === '["pwd"]', show(pwd.claims.amr));
  await page.browserContext().close();

  // "Sign in as anyone": a subject with claims given as JSON on the page.
  page = await freshPage();
  await start(page, 'app=web');
  await page.click('details summary');
  await page.type('#subject', 'robot-7');
  const claims = { email: 'robot-7@example.com', name: 'Robot Seven', tenant: 'acme', groups: ['admin'] };
  await page.$eval('#claims', (e, v) => (e.value = v), JSON.stringify(claims));
  got = await submit(page, 'form:has(#subject) button[type=submit]');
  const anyone = signedIn('anyone', got, 'robot-7');
  check('anyone: the ID token says amr test', JSON.stringify(anyone?.claims?.amr) === '["test"]', show(anyone?.claims?.amr));
  if (anyone) {
    check('anyone: the JSON claims appear in the ID token',
      anyone.claims.tenant === 'acme' && anyone.claims.email === 'robot-7@example.com' && anyone.claims.name === 'Robot Seven',
      show(anyone.claims));
    check('anyone: the groups claim appears in the ID token', JSON.stringify(anyone.claims.groups ?? anyone.claims.group) === '["admin"]',
      show(anyone.claims));
  }
  await page.browserContext().close();

  // A rejected any-subject form comes back with what was typed, as text, not markup.
  page = await freshPage();
  await start(page, 'app=web');
  await page.click('details summary');
  const markup = '</textarea><b id="injected">x</b>';
  await page.type('#subject', '<i id="injected2">s</i>');
  await page.$eval('#claims', (e, v) => (e.value = v), markup);
  got = await submit(page, 'form:has(#subject) button[type=submit]');
  const shown = await page.$eval('#claims', (e) => e.value).catch(() => null);
  check('anyone: invalid claims JSON shows the error and keeps the text, escaped',
    got.loginPage === true && (await page.$('.error')) !== null && shown === markup &&
      (await page.$('#injected, #injected2')) === null, show({ shown, url: page.url() }));
  await page.browserContext().close();

  // Deny: the RP receives access_denied (with state and iss, as every answer).
  page = await freshPage();
  await start(page, 'app=web');
  got = await submit(page, 'form:has(input[name=action][value=deny]) button');
  check('deny: the RP receives access_denied', got.outcome?.error === 'access_denied' && got.outcome?.query?.error === 'access_denied', show(got));
  check('deny: the error answer carries iss', got.outcome?.query?.iss === issuer, show(got.outcome?.query));
  await page.browserContext().close();

  // The sandbox delegates sign-in to the platform (Formance's delegated login): the platform's
  // login page, and a sandbox user made for the platform member, id UUIDv5(iss + " " + sub).
  page = await freshPage();
  await start(page, 'app=web');
  await submit(page, userButton('alice'));
  got = await start(page, 'app=sandbox');
  check('sandbox: a session at the default environment does not sign in to the sandbox', got.loginPage === true, show(got));
  check('sandbox: the login page is the platform\'s (delegated login)', got.url?.startsWith(`${origin}/platform/authorize?`) &&
    (await page.$eval('.env', (e) => e.textContent).catch(() => '')) === 'platform', got.url);
  got = await submit(page, userButton('alice'));
  signedIn('sandbox (delegated to the platform)', got, uuidV5(`${origin}/platform ${PLATFORM_ALICE}`), sandboxIssuer);
  const users = await (await fetch(`${origin}/_authemu/users?environment=sandbox`)).json();
  const made = users.users?.find((u) => u.origin === 'delegated');
  check('sandbox: the delegated user records the platform member', made?.upstream?.sub === PLATFORM_ALICE &&
    made?.upstream?.iss === `${origin}/platform`, show(made));
  got = await start(page, 'app=sandbox');
  check('sandbox: the sandbox session gives single sign-on afterwards', !got.loginPage && got.outcome?.ok, show(got));
  await page.browserContext().close();

  // Measure: RP /login to tokens at the RP, a full browser login with the page, 20 times.
  page = await freshPage();
  const times = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const before = rp.events.length;
    await start(page, 'app=spa&prompt=login');
    got = await submit(page, userButton('alice'));
    const t1 = rp.events.slice(before).find((e) => e.what === 'tokens')?.at;
    if (!got.outcome?.ok || !t1) { check('measure: every timed browser login succeeds', false, show(got)); break; }
    times.push(t1 - t0);
  }
  if (times.length === 20) {
    times.sort((a, b) => a - b);
    console.log(`# measured: browser login with Chromium (RP /login -> login page -> click alice -> tokens at the RP), ` +
      `median of 20: ${((times[9] + times[10]) / 2).toFixed(1)} ms (min ${times[0].toFixed(1)}, max ${times[19].toFixed(1)})`);
  }
  await page.browserContext().close();
}

try {
  await run();
} catch (e) {
  check('the browser flow runs to the end', false, e.stack?.split('\n').slice(0, 3).join(' | '));
} finally {
  await browser.close().catch(() => browser.process()?.kill('SIGKILL'));
  await rp.close();
}
finish();
