// The console in headless Chromium (puppeteer-core): a token request appears live, its details and
// curl command hide the secrets, the explainer judges an expired token and another environment's,
// the clock is frozen and advanced from the page, a device request approved, "try a sign-in" runs
// the code flow with PKCE back to the console; no secret in the page source; screenshots (light,
// dark, phone) under build/test-logs/.
//
// Usage: node console.mjs URL NODE_DIR SHOTS_DIR. Prints "ok - …" / "not ok - …" lines.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { check, finish } from './checks.mjs';

const [url, nodeDir, shots] = process.argv.slice(2);
const require = createRequire(pathToFileURL(nodeDir + '/'));
const puppeteer = (await import(pathToFileURL(require.resolve('puppeteer-core')))).default;
const watchdog = setTimeout(() => { check('the console checks finish within 80 s', false, 'watchdog fired'); process.exit(1); }, 80000);
watchdog.unref();

const SECRETS = ['NoSecret-c0nsole-7f3a', 'Pw-c0nsole-91bd', 'Rt-c0nsole-55e0', 'Code-c0nsole-0a1b'];
const form = (path, params, headers = {}) => fetch(url + path, {
  method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  body: new URLSearchParams(params),
});
const admin = async (path, body) => (await fetch(url + path, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
})).json();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'], timeout: 15000,
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(8000);
  await page.setViewport({ width: 1280, height: 800 });
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) external.push(r.url()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  // Requests with secrets in them, before the page is open (server-rendered rows) and after (live).
  await form('/api/auth/oauth/token', { grant_type: 'password', client_id: 'testing', client_secret: SECRETS[0], username: 'alice', password: SECRETS[1] });
  await page.goto(url + '/_authemu/console');
  check('GET /_authemu/console: the console page', (await page.title()) === 'authemu console', await page.title());
  await page.waitForFunction(() => document.querySelector('#live').textContent === 'live');
  check('the page holds the journal stream open', true);

  await form('/api/auth/oauth/token', { grant_type: 'refresh_token', client_id: 'testing', client_secret: SECRETS[0], refresh_token: SECRETS[2] });
  await form('/api/auth/oauth/token', { grant_type: 'authorization_code', client_id: 'spa', code: SECRETS[3], redirect_uri: 'http://127.0.0.1/callback', code_verifier: 'x'.repeat(43) });
  const res = await form('/api/auth/oauth/token', { grant_type: 'client_credentials' }, { Authorization: 'Basic ' + Buffer.from('testing:testing').toString('base64') });
  check('a client_credentials token request', res.status === 200, String(res.status));
  const journal = await (await fetch(url + '/_authemu/journal?limit=1')).json();
  const seq = journal.entries[0].seq;
  await page.waitForSelector(`#journal tbody tr[data-seq="${seq}"]`, { timeout: 5000 });
  const row = await page.$eval(`#journal tbody tr[data-seq="${seq}"]`, (tr) => tr.innerText);
  check('the token request appears live, newest first, with endpoint, client, grant and status',
    row.includes('token') && row.includes('testing') && row.includes('client_credentials') && row.includes('200') &&
    (await page.$eval('#journal tbody tr', (tr) => tr.dataset.seq)) === String(seq), row);

  // Filters: errors only hides the 200.
  await page.click('#f-errors');
  check('the errors-only filter hides the successful request', await page.$eval(`#journal tbody tr[data-seq="${seq}"]`, (tr) => tr.hidden));
  await page.click('#f-errors');

  // Details and curl of the refresh request (secrets masked), by keyboard.
  const refreshSeq = seq - 2;
  await page.focus(`#journal tbody tr[data-seq="${refreshSeq}"]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#details:not([hidden]) #curl');
  const details = await page.$eval('#details', (d) => d.innerText);
  const curl = await page.$eval('#curl', (t) => t.value);
  check('a row opens its details: parameters with secrets masked, status and OAuth error',
    details.includes('grant_type') && details.includes('refresh_token') && details.includes('****') &&
    details.includes('invalid_grant') || details.includes('invalid_client'), details.slice(0, 600));
  check('copy as curl: the request with secrets as placeholders',
    curl.includes("curl -i -X POST") && curl.includes('"client_secret=$CLIENT_SECRET"') && curl.includes('"refresh_token=$REFRESH_TOKEN"') &&
    curl.includes(url + '/api/auth/oauth/token'), curl);
  // The successful request's details show its token decoded.
  await page.click(`#journal tbody tr[data-seq="${seq}"]`);
  await page.waitForFunction((s) => document.querySelector('#details h2')?.textContent.startsWith('#' + s), {}, seq);
  const issued = await page.$eval('#details', (d) => d.textContent);
  check('the details show the issued access token decoded, with its times by the environment clock',
    issued.includes('access_token') && issued.includes('"client_id": "testing"') && /exp .* \(in 1 h\)/.test(issued), issued.slice(0, 800));

  // No secret anywhere the console shows.
  const source = await (await fetch(url + '/_authemu/console')).text();
  const entries = await (await fetch(url + '/_authemu/journal')).text();
  const dom = await page.content();
  const leaked = SECRETS.filter((s) => source.includes(s) || entries.includes(s) || dom.includes(s));
  check('no secret, password, code or token in the page source, the DOM or the journal', leaked.length === 0, leaked.join(', '));
  check('no external script, font, style or CDN: every request goes to this server', external.length === 0, external.join(' '));
  check('the page source loads nothing from elsewhere', !/<(script|link|img)[^>]+(src|href)=["']?https?:/i.test(source));

  await page.screenshot({ path: `${shots}/console-light.png` });

  // The explainer: an expired minted token, then a sandbox token.
  const expired = (await admin('/_authemu/mint', { case: 'expired' })).access_token;
  await page.$eval('#explain-token', (t, v) => { t.value = v; }, expired);
  await page.click('#explain-form button[type=submit]');
  await page.waitForSelector('#explain-out table');
  let out = await page.$eval('#explain-out', (d) => d.innerText);
  check('explain an expired minted token: refused, exp fails with "expired … ago"',
    out.includes('refused') && /exp\s+✗\s+expired\s+expired 1 min ago/.test(out) && out.includes('environment default'), out.slice(0, 700));
  const sandbox = (await admin('/_authemu/mint', { environment: 'sandbox' })).access_token;
  await page.$eval('#explain-token', (t, v) => { t.value = v; }, sandbox);
  await page.click('#explain-form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#explain-out').innerText.includes('environment sandbox'));
  out = await page.$eval('#explain-out', (d) => d.innerText);
  check('explain a token of another environment: signed by the sandbox key, valid there',
    out.includes('valid') && !out.includes('refused') && /signed by key .* of environment sandbox/.test(out), out.slice(0, 700));

  // The clock, from the buttons on the first screen.
  const clockText = () => page.$eval('.clock', (c) => c.innerText);
  const time = async () => Date.parse(await page.$eval('.clock time', (t) => t.textContent)) / 1000;
  await Promise.all([page.waitForNavigation(), page.click('.clock button[data-body*="freeze"]')]);
  check('Freeze: the default clock is frozen', (await clockText()).includes('frozen'), await clockText());
  const before = await time();
  await Promise.all([page.waitForNavigation(), page.click('.clock button[data-body*="1h"]')]);
  check('+1 h: the frozen clock moved one hour', (await time()) - before === 3600, `${before} -> ${await time()}`);
  await Promise.all([page.waitForNavigation(), page.click('.clock button[data-body*="freeze"]')]);
  check('Release: the clock runs again', !(await clockText()).includes('frozen'), await clockText());
  await fetch(url + '/_authemu/clock', { method: 'DELETE' });

  // A device request approved from the page.
  const device = await (await form('/api/auth/device_authorization', { client_id: 'spa', scope: 'openid' })).json();
  await page.reload();
  const approve = `form[data-act="POST /_authemu/devices/${device.user_code}/approve"] button[type=submit]`;
  await page.waitForSelector(approve);
  await page.select(`form[data-act="POST /_authemu/devices/${device.user_code}/approve"] select`, 'alice');
  await page.$eval('#state', (s) => s.scrollIntoView());
  await Promise.all([page.waitForNavigation(), page.click(approve)]);
  await sleep(1100); // the device's poll interval
  const polled = await form('/api/auth/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'spa', device_code: device.device_code });
  const state = await page.$eval('#state', (s) => s.innerText);
  check('Approve: the device gets its tokens and the request leaves the list',
    polled.status === 200 && !state.includes(device.user_code), `${polled.status} ${await polled.text()}`);

  // Try a sign-in with the console client, as alice.
  await page.select('#signin-env', 'default');
  await page.$eval('#signin-login_hint', (i) => { i.value = 'alice'; });
  await Promise.all([page.waitForNavigation(), page.click('#signin-form button[type=submit]')]);
  check('try a sign-in: the login page of the default environment', (await page.title()).startsWith('Sign in'), await page.title());
  check('login_hint fills the username', (await page.$eval('#username', (i) => i.value)) === 'alice');
  await page.type('#password', 'alice');
  await Promise.all([page.waitForNavigation(), page.click('form button.primary[type=submit]')]);
  await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'signed in' || document.querySelector('#status')?.className === 'err').catch(async () => console.log('# at ' + page.url() + ': ' + (await page.$eval('body', (b) => b.innerText)).slice(0, 500)));
  const signed = await page.$eval('body', (b) => b.innerText);
  check('the console callback exchanged the code (PKCE) and explains the ID token, access token and refresh token',
    signed.includes('ID token') && signed.includes('access token') && signed.includes('refresh token') &&
    /nonce\s+✓/.test(signed) && /at_hash\s+✓/.test(signed) && !signed.includes('refused'), signed.slice(0, 900));
  await page.click('#userinfo');
  await page.waitForSelector('#userinfo-out pre');
  check('userinfo from the callback page', (await page.$eval('#userinfo-out', (d) => d.innerText)).includes('"sub"'));
  await page.click('#refresh');
  await page.waitForFunction(() => document.querySelector('#status').textContent !== 'signed in');
  check('refresh from the callback page: new tokens, explained, still valid',
    (await page.$eval('#status', (s) => s.textContent)) === 'refreshed' && !(await page.$eval('#out', (d) => d.innerText)).includes('refused'),
    await page.$eval('#status', (s) => s.textContent));
  await page.screenshot({ path: `${shots}/console-callback.png`, fullPage: false });

  // Screenshots: dark, and a phone.
  await page.goto(url + '/_authemu/console');
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await page.screenshot({ path: `${shots}/console-dark.png` });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  await page.setViewport({ width: 390, height: 844, isMobile: true, deviceScaleFactor: 1 });
  await page.reload();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check('390-px phone: no sideways scrolling of the page (wide tables scroll in their box)', overflow <= 0, `${overflow} px too wide`);
  await page.screenshot({ path: `${shots}/console-phone.png` });
  check('no script error on the console pages', errors.length === 0, errors.join(' | '));
} catch (e) {
  check('the console checks ran to the end', false, e.stack);
} finally {
  await browser.close();
}
finish();
