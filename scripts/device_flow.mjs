// The device flow (RFC 8628) end to end: openid-client v6 plays the device
// (initiateDeviceAuthorization + pollDeviceAuthorizationGrant) against authemu, and the request is
// completed once by headless Chromium (puppeteer-core) on the verification page and once by
// `authemu device approve`; then the platform variant as fctl runs it: login, stack access with
// organization_id, id_token_hint and resource, and the jwt-bearer grant at the sandbox.
//
// Usage: node device_flow.mjs ISSUER NODE_DIR AUTHEMU URL SCREENSHOT (the server polls every 1 s).
// Prints "ok - …" / "not ok - …" lines and "# measured: …".
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { check, finish } from './checks.mjs';

const [issuer, nodeDir, authemu, url, screenshot] = process.argv.slice(2);
const origin = new URL(issuer).origin;
const ALICE = '5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01';
const BOB = '8b7e2c44-6f1d-4f0a-b3c5-9a2e4d6f8a02';
const MEMBER = '7a1e5c3d-9b2f-4e6a-8c0d-1f2e3a4b5c04';

const show = (v) => JSON.stringify(v)?.slice(0, 400);
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
const run = promisify(execFile);
const approve = (code, ...args) => run(authemu, ['device', 'approve', code, '--url', url, ...args]);

const require = createRequire(pathToFileURL(nodeDir + '/'));
const client = await import(pathToFileURL(require.resolve('openid-client')));
const puppeteer = (await import(pathToFileURL(require.resolve('puppeteer-core')))).default;
const options = { execute: [client.allowInsecureRequests] };

const watchdog = setTimeout(() => {
  check('the device flows finish within 80 s', false, 'watchdog fired');
  process.exit(1);
}, 80000);
watchdog.unref();

// 1. A public client; Chromium enters nothing: it opens verification_uri_complete, signs in with
// the password form and approves.
const spa = await client.discovery(new URL(issuer), 'spa', undefined, client.None(), options);
check('discovery names the device_authorization_endpoint',
  spa.serverMetadata().device_authorization_endpoint === `${issuer}/device_authorization`);
let started = Date.now();
let device = await client.initiateDeviceAuthorization(spa, { scope: 'openid profile offline_access' });
check('device authorization: user_code XXXX-XXXX, interval 1, expires_in 600',
  /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/.test(device.user_code) && device.interval === 1 &&
  device.expires_in === 600, show(device));
let polling = client.pollDeviceAuthorizationGrant(spa, device);
const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  timeout: 15000,
});
try {
  const page = await (await browser.createBrowserContext()).newPage();
  page.setDefaultTimeout(8000);
  await page.goto(device.verification_uri_complete);
  check('the verification page shows the login page', (await page.title()).startsWith('Sign in to approve a device'),
    await page.title());
  await page.type('#username', 'alice');
  await page.type('#password', 'alice');
  await Promise.all([page.waitForNavigation(), page.click('form button.primary[type=submit]')]);
  const text = await page.$eval('main', (m) => m.innerText);
  check('after sign-in: who asks for what, as whom', text.includes('Example SPA asks to sign in') &&
    text.includes('openid profile offline_access') && text.includes('Alice Admin (alice)'), text);
  await page.screenshot({ path: screenshot });
  await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
  check('approved in the browser', (await page.$eval('h1', (h) => h.textContent)) === 'Device approved');
  const tokens = await polling;
  const id = tokens.claims();
  check('the device gets tokens of the browser user: id_token with sub and amr pwd, a refresh token',
    id.sub === ALICE && id.amr?.[0] === 'pwd' && !!tokens.refresh_token, show(id));
  console.log(`# measured: device flow completed in Chromium: ${Date.now() - started} ms`);

  // A second device in the same browser: the session is reused, no login page; then deny.
  device = await client.initiateDeviceAuthorization(spa, { scope: 'openid' });
  polling = client.pollDeviceAuthorizationGrant(spa, device).then(() => 'tokens', (e) => e.error ?? e.code ?? String(e));
  await page.goto(device.verification_uri);
  await page.type('#user_code', device.user_code.toLowerCase().replace('-', ''));
  await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
  check('a second device: the session is reused (the consent page, no login page)',
    (await page.$eval('h1', (h) => h.textContent)) === 'Example SPA asks to sign in');
  await Promise.all([page.waitForNavigation(), page.click('.deny form:last-of-type button')]);
  check('denied in the browser: the device hears access_denied', (await polling) === 'access_denied');
} finally {
  await browser.close();
}

// 2. `authemu device approve` finishes the flow without a browser.
started = Date.now();
device = await client.initiateDeviceAuthorization(spa, { scope: 'openid' });
polling = client.pollDeviceAuthorizationGrant(spa, device);
const listed = JSON.parse((await run(authemu, ['device', 'list', '--url', url])).stdout);
check('authemu device list shows the pending request', listed.devices.some((d) => d.user_code === device.user_code),
  show(listed));
await approve(device.user_code, '--user', 'bob');
const bob = await polling;
check('approved by authemu device approve --user bob', bob.claims().sub === BOB, show(bob.claims()));
console.log(`# measured: device flow completed by authemu device approve: ${Date.now() - started} ms ` +
  '(1 s interval: the first poll waits it)');

// 3. The platform as fctl: Basic fctl: with an empty secret, prompt=no-org, then stack access.
// openid-client refuses an empty secret; a client authentication of our own sends fctl's header.
const fctlBasic = (_as, _client, _body, headers) => headers.set('authorization', `Basic ${btoa('fctl:')}`);
const fctl = await client.discovery(new URL(`${origin}/platform`), 'fctl', undefined, fctlBasic, options);
started = Date.now();
device = await client.initiateDeviceAuthorization(fctl,
  { scope: 'openid offline_access accesses on_behalf', prompt: 'no-org' });
polling = client.pollDeviceAuthorizationGrant(fctl, device);
await approve(device.user_code, '--user', 'alice');
const login = await polling;
const org = login.claims().org;
check('fctl login: the ID token carries the org claim with the sandbox stack',
  login.claims().sub === MEMBER && org?.[0]?.id === 'acme' &&
  org[0].stacks.some((s) => s.id === 'sandbox' && s.uri === `${origin}/sandbox`), show(org));
const stack = org[0].stacks.find((s) => s.id === 'sandbox');
const resource = `stack://${org[0].id}/${stack.id}|${stack.scopes.join(' ')}`;
device = await client.initiateDeviceAuthorization(fctl, {
  scope: 'openid offline_access', organization_id: org[0].id, id_token_hint: login.id_token, resource,
});
polling = client.pollDeviceAuthorizationGrant(fctl, device, { resource });
await approve(device.user_code); // the user its id_token_hint named
const access = await polling;
const sandboxIssuer = `${stack.uri}/api/auth`;
check('stack access: aud is the sandbox issuer', show(claims(access.access_token).aud) === show([sandboxIssuer]),
  show(claims(access.access_token)));
// fctl's FetchStackToken: discovery at <stack uri>/api/auth, jwt-bearer without client authentication.
const meta = await (await fetch(`${sandboxIssuer}/.well-known/openid-configuration`)).json();
const res = await fetch(meta.token_endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: access.access_token, scope: 'openid email' }),
});
const envToken = await res.json();
check('jwt-bearer at the sandbox accepts the stack token', res.status === 200 &&
  claims(envToken.access_token).iss === sandboxIssuer && claims(envToken.access_token).sub === MEMBER, show(envToken));
console.log(`# measured: fctl login + stack access + jwt-bearer (two device flows by authemu device approve): ` +
  `${Date.now() - started} ms`);
finish();
