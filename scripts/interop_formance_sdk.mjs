// Interop: the official Formance TypeScript SDK (@formance/formance-sdk 7.x, npm) against authemu
// as its gateway: getVersions() and each stand-in service's info call, which an SDK-based app
// makes at start-up, with the SDK fetching its own client-credentials token from authemu.
//
// Usage: node interop_formance_sdk.mjs URL SDK_DIR. SDK_DIR holds node_modules/@formance/formance-sdk
// (scripts/deps.sh test installs it into build/node). Prints "ok - ..." / "not ok - ..." lines.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { check, finish } from './checks.mjs';

const [url, sdkDir] = process.argv.slice(2);
const require = createRequire(pathToFileURL(sdkDir + '/'));
const { SDK } = require('@formance/formance-sdk');

const attempt = async (name, fn) => {
  try { return await fn(); } catch (e) { check(name, false, `${e.constructor.name}: ${e.message}`); return undefined; }
};

// The SDK's token URL defaults to /api/auth/oauth/token under serverURL.
const sdk = new SDK({ serverURL: url, security: { clientID: 'testing', clientSecret: 'testing' } });

const v = await attempt('getVersions()', () => sdk.getVersions());
if (v) {
  const names = v.getVersionsResponse.versions.map((x) => x.name).join(',');
  check('getVersions() lists auth and the stand-in services',
    names === 'auth,ledger,payments,wallets,orchestration,webhooks,reconciliation', names);
  check('getVersions() has env and region', v.getVersionsResponse.env === 'default' && v.getVersionsResponse.region === 'local',
    JSON.stringify(v.getVersionsResponse));
  check('every service is healthy', v.getVersionsResponse.versions.every((x) => x.health === true));
}

const calls = [
  ['ledger.v2.getInfo()', () => sdk.ledger.v2.getInfo(), (r) => r.v2ConfigInfo?.server === 'ledger' && r.v2ConfigInfo?.version === 'v2.0.0'],
  ['ledger.v1.getInfo()', () => sdk.ledger.v1.getInfo(), (r) => r.configInfoResponse?.data?.server === 'ledger'],
  ['wallets.v1.getServerInfoWallets()', () => sdk.wallets.v1.getServerInfoWallets(), (r) => r.serverInfo?.version === 'v2.0.0'],
  ['payments.v1.getServerInfoPayments()', () => sdk.payments.v1.getServerInfoPayments(), (r) => r.serverInfo?.version === 'v2.0.0'],
  ['orchestration.v1.getServerInfoOrchestration()', () => sdk.orchestration.v1.getServerInfoOrchestration(), (r) => r.serverInfo?.version === 'v2.0.0'],
  ['orchestration.v2.getServerInfo()', () => sdk.orchestration.v2.getServerInfo(), (r) => r.v2ServerInfo?.version === 'v2.0.0'],
  ['reconciliation.v1.getServerInfoReconciliation()', () => sdk.reconciliation.v1.getServerInfoReconciliation(), (r) => r.serverInfo?.version === 'v2.0.0'],
  ['auth.v1.getServerInfoAuth()', () => sdk.auth.v1.getServerInfoAuth(), (r) => typeof r.serverInfo?.version === 'string'],
];
for (const [name, call, ok] of calls) {
  const r = await attempt(name, call);
  if (r) check(name, r.statusCode === 200 && ok(r), JSON.stringify(r, (k, x) => (k === 'rawResponse' ? undefined : x)));
}

// The token is still verified: an SDK with a wrong secret gets no info.
const wrong = new SDK({ serverURL: url, security: { clientID: 'testing', clientSecret: 'wrong' } });
let refused = false;
try { await wrong.ledger.v2.getInfo(); } catch (e) { refused = true; }
check('a wrong client secret gets no ledger info', refused);
const bare = await fetch(url + '/api/ledger/_/info');
check('ledger info without a token is 401', bare.status === 401, String(bare.status));

finish();
