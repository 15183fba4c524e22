// Node clients of authemu's key-based client authentication (RFC 7523: private_key_jwt,
// client_secret_jwt) and DPoP (RFC 9449), with openid-client v6, oauth4webapi and jose:
//   node keyauth_node.mjs keys DIR NODE_DIR   writes DIR/keys.json (private JWKs) and DIR/jwks-*.json
//   node keyauth_node.mjs check ISSUER DIR NODE_DIR   prints "ok - …" lines
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { check, finish } from './checks.mjs';

const [mode, a1, a2, a3] = process.argv.slice(2);
const nodeDir = mode === 'keys' ? a2 : a3;
const require = createRequire(pathToFileURL(nodeDir + '/'));
const load = async (name) => import(pathToFileURL(require.resolve(name)));
const jose = await load('jose');

if (mode === 'keys') {
  const dir = a1;
  const keys = {};
  for (const [name, alg] of [['es256', 'ES256'], ['rs256', 'RS256'], ['ps384', 'PS384'], ['es512', 'ES512'], ['other', 'ES256']]) {
    const { privateKey } = await jose.generateKeyPair(alg, { extractable: true });
    const jwk = await jose.exportJWK(privateKey);
    jwk.kid = name;
    jwk.alg = alg;
    keys[name] = jwk;
  }
  const pub = (k) => { const { d, p, q, dp, dq, qi, ...rest } = k; return rest; };
  writeFileSync(`${dir}/keys.json`, JSON.stringify(keys));
  writeFileSync(`${dir}/jwks-es256.json`, JSON.stringify({ keys: [pub(keys.es256)] }));
  writeFileSync(`${dir}/jwks-multi.json`, JSON.stringify({ keys: [pub(keys.rs256), pub(keys.ps384), pub(keys.es512)] }));
  process.exit(0);
}

const issuer = a1, dir = a2;
const keys = JSON.parse(readFileSync(`${dir}/keys.json`));
const client = await load('openid-client');
const oauth = await load('oauth4webapi');
const tokenUrl = `${issuer}/oauth/token`;
const origin = new URL(issuer).origin;
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
const insecure = { execute: [client.allowInsecureRequests] };
const show = (e) => (e instanceof Error ? `${e.name}: ${e.message} ${e.cause ? JSON.stringify(e.cause) : ''}` : String(e));
const privateKey = async (name) => jose.importJWK(keys[name], keys[name].alg);
const post = (url, body, headers = {}) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(body) });

// private_key_jwt with openid-client, one key type after another.
for (const [id, name] of [['pkjwt', 'es256'], ['pkjwt-multi', 'rs256'], ['pkjwt-multi', 'ps384'], ['pkjwt-multi', 'es512'], ['pkjwt-uri', 'es256']]) {
  try {
    const config = await client.discovery(new URL(issuer), id, undefined, client.PrivateKeyJwt({ key: await privateKey(name), kid: keys[name].kid }), insecure);
    const t = await client.clientCredentialsGrant(config);
    check(`openid-client PrivateKeyJwt (${keys[name].alg}, client ${id}) gets a token`, claimsOf(t.access_token).client_id === id);
  } catch (e) {
    check(`openid-client PrivateKeyJwt (${keys[name].alg}, client ${id}) gets a token`, false, show(e));
  }
}
try {
  const config = await client.discovery(new URL(issuer), 'sjwt', undefined, client.ClientSecretJwt('a-shared-secret-that-is-32-bytes-long!'), insecure);
  const t = await client.clientCredentialsGrant(config);
  check('openid-client ClientSecretJwt (HS256) gets a token', claimsOf(t.access_token).client_id === 'sjwt');
} catch (e) {
  check('openid-client ClientSecretJwt (HS256) gets a token', false, show(e));
}
try {
  const config = await client.discovery(new URL(issuer), 'pkjwt', undefined, client.PrivateKeyJwt(await privateKey('other')), insecure);
  await client.clientCredentialsGrant(config);
  check('a key the client did not register: refused', false, 'got a token');
} catch (e) {
  // RFC 6749 §5.2: a 401 with a WWW-Authenticate challenge, which openid-client raises as such.
  const body = e.response ? await e.response.json().catch(() => ({})) : e;
  check('a key the client did not register: 401 invalid_client', (e.status ?? e.response?.status) === 401 && body.error === 'invalid_client' && /signature does not verify/.test(body.error_description), show(e));
}

// Hand-made assertions: each rule's own refusal.
const assertion = async (claims, { key = 'es256', alg = 'ES256', header = {} } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return new jose.SignJWT({ iss: 'pkjwt', sub: 'pkjwt', aud: issuer, jti: randomUUID(), iat: now, exp: now + 60, ...claims })
    .setProtectedHeader({ alg, kid: keys[key].kid, ...header }).sign(await privateKey(key));
};
const withAssertion = (jwt) => post(tokenUrl, { grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt });
{
  const jwt = await assertion({});
  const first = await withAssertion(jwt), second = await withAssertion(jwt);
  const body = await second.json();
  check('an assertion is single use: the second is 401 "assertion replayed"', first.status === 200 && second.status === 401 && /assertion replayed/.test(body.error_description), JSON.stringify(body));
  for (const [name, claims, want] of [
    ['aud is the token endpoint URL', { aud: tokenUrl }, 200],
    ['aud is another server', { aud: 'https://elsewhere.example' }, 401],
    ['expired', { exp: Math.floor(Date.now() / 1000) - 600 }, 401],
    ['exp an hour ahead', { exp: Math.floor(Date.now() / 1000) + 3600 }, 401],
    ['iss is not sub', { iss: 'someone' }, 401],
  ]) {
    const r = await withAssertion(await assertion(claims));
    check(`assertion ${name}: ${want}`, r.status === want, `${r.status} ${await r.text()}`);
  }
  const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify({ iss: 'pkjwt', sub: 'pkjwt', aud: issuer, exp: Math.floor(Date.now() / 1000) + 60, jti: randomUUID() })).toString('base64url')}.`;
  const r = await withAssertion(none);
  check('an alg none assertion: 401 "not signed"', r.status === 401 && /alg none/.test((await r.json()).error_description));
}

// DPoP with openid-client: a bound token, userinfo and the stand-in API with proofs.
try {
  const config = await client.discovery(new URL(issuer), 'dpop-public', undefined, client.None(), insecure);
  const kp = await client.randomDPoPKeyPair('ES256');
  const dpop = client.getDPoPHandle(config, kp);
  const t = await client.genericGrantRequest(config, 'password', { username: 'alice', password: 'alice', scope: 'openid profile offline_access' }, { DPoP: dpop });
  const jkt = await jose.calculateJwkThumbprint(await jose.exportJWK(kp.publicKey));
  check('openid-client DPoP: token_type DPoP', t.token_type === 'dpop', t.token_type);
  check('openid-client DPoP: the access token carries cnf.jkt of the key', claimsOf(t.access_token).cnf?.jkt === jkt);
  const info = await client.fetchUserInfo(config, t.access_token, client.skipSubjectCheck, { DPoP: dpop });
  check('openid-client DPoP: userinfo with a proof', info.preferred_username === 'alice', JSON.stringify(info));
  const res = await client.fetchProtectedResource(config, t.access_token, new URL(`${origin}/api/ledger/_info`), 'GET', undefined, undefined, { DPoP: dpop });
  check('openid-client DPoP: the stand-in API with a proof', res.status === 200, String(res.status));
  const asBearer = await fetch(`${origin}/api/ledger/_info`, { headers: { Authorization: `Bearer ${t.access_token}` } });
  check('the DPoP-bound token sent as Bearer: 401 invalid_token', asBearer.status === 401 && /DPoP-bound/.test(asBearer.headers.get('www-authenticate')), asBearer.headers.get('www-authenticate'));
  const noProof = await fetch(`${origin}/api/ledger/_info`, { headers: { Authorization: `DPoP ${t.access_token}` } });
  check('the DPoP scheme without a proof: 401 invalid_dpop_proof', noProof.status === 401 && /DPoP error="invalid_dpop_proof"/.test(noProof.headers.get('www-authenticate')), noProof.headers.get('www-authenticate'));
  const refreshed = await client.refreshTokenGrant(config, t.refresh_token, undefined, { DPoP: dpop });
  check('openid-client DPoP: a public client refreshes with its key', refreshed.token_type === 'dpop' && claimsOf(refreshed.access_token).cnf?.jkt === jkt);
  const other = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  try {
    await client.refreshTokenGrant(config, refreshed.refresh_token, undefined, { DPoP: other });
    check("a public client's refresh token with another key: refused", false, 'refreshed');
  } catch (e) {
    check("a public client's refresh token with another key: 400 invalid_grant", e.error === 'invalid_grant', show(e));
  }
} catch (e) {
  check('openid-client DPoP flow', false, show(e));
}
try {
  const config = await client.discovery(new URL(issuer), 'dpop-public', undefined, client.None(), insecure);
  await client.genericGrantRequest(config, 'password', { username: 'alice', password: 'alice' });
  check('dpopBoundAccessTokens: a request without a proof is refused', false, 'got a token');
} catch (e) {
  check('dpopBoundAccessTokens: a request without a proof is 400 invalid_request', e.error === 'invalid_request' && /DPoP/.test(e.error_description), show(e));
}

// The server nonce: openid-client retries use_dpop_nonce by itself, at the token endpoint and at
// the resource.
try {
  const config = await client.discovery(new URL(issuer), 'dpop-nonce', 'nonce-secret', undefined, insecure);
  const dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const t = await client.genericGrantRequest(config, 'password', { username: 'alice', password: 'alice', scope: 'openid profile' }, { DPoP: dpop });
  check('dpopNonce: openid-client retries with the nonce and gets a DPoP token', t.token_type === 'dpop');
  const info = await client.fetchUserInfo(config, t.access_token, client.skipSubjectCheck, { DPoP: dpop });
  check('dpopNonce: userinfo with the nonce', info.preferred_username === 'alice');
} catch (e) {
  check('dpopNonce with openid-client', false, show(e));
}

// oauth4webapi's DPoP with private_key_jwt.
try {
  const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { [oauth.allowInsecureRequests]: true }));
  const c = { client_id: 'pkjwt' };
  const kp = await oauth.generateKeyPair('ES256');
  const DPoP = oauth.DPoP(c, kp);
  const auth = oauth.PrivateKeyJwt({ key: await privateKey('es256'), kid: 'es256' });
  const r = await oauth.clientCredentialsGrantRequest(as, c, auth, new URLSearchParams(), { DPoP, [oauth.allowInsecureRequests]: true });
  const t = await oauth.processClientCredentialsResponse(as, c, r);
  check('oauth4webapi: PrivateKeyJwt + DPoP gets a DPoP token', t.token_type === 'dpop' && !!claimsOf(t.access_token).cnf?.jkt);
  const res = await oauth.protectedResourceRequest(t.access_token, 'GET', new URL(`${origin}/api/ledger/_info`), undefined, undefined, { DPoP, [oauth.allowInsecureRequests]: true });
  check('oauth4webapi: the stand-in API takes its proof', res.status === 200, String(res.status));
  const i = await post(`${issuer}/oauth/introspect`, { token: t.access_token }, { Authorization: 'Basic ' + Buffer.from('testing:testing').toString('base64') });
  const ij = await i.json();
  check('introspection: token_type DPoP and cnf.jkt', ij.token_type === 'DPoP' && ij.cnf?.jkt === claimsOf(t.access_token).cnf.jkt, JSON.stringify(ij));
} catch (e) {
  check('oauth4webapi PrivateKeyJwt + DPoP', false, show(e));
}

// A resource server of the test's own, written with jose, checks minted DPoP proofs (RFC 9449 §4.3,
// §7.1): the valid one passes, each broken case is refused.
try {
  const mint = async (body) => (await fetch(`${origin}/_authemu/mint`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })).json();
  const bound = await mint({ dpop: true, scope: 'ledger:read' });
  const rsUrl = 'https://rs.example.test/orders';
  const seen = new Set();
  const rsCheck = async (proof, token) => {
    try {
      const { payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256', 'ES384', 'ES512', 'RS256', 'PS256'] });
      if (['d', 'p', 'q', 'dp', 'dq', 'qi'].some((m) => m in protectedHeader.jwk)) return 'private key in header';
      if (payload.htm !== 'GET') return 'htm';
      if (payload.htu !== rsUrl) return 'htu';
      if (Math.abs(Date.now() / 1000 - payload.iat) > 300) return 'iat';
      const ath = (await import('node:crypto')).createHash('sha256').update(token).digest('base64url');
      if (payload.ath !== ath) return 'ath';
      if (await jose.calculateJwkThumbprint(protectedHeader.jwk) !== claimsOf(token).cnf.jkt) return 'key';
      if (payload.nonce && payload.nonce.startsWith('wrong-nonce-')) return 'nonce';
      if (seen.has(payload.jti)) return 'replay';
      seen.add(payload.jti);
      return 'ok';
    } catch (e) {
      return `jose: ${e.code ?? e.message}`;
    }
  };
  const base = { token: 'dpop_proof', htm: 'GET', htu: rsUrl, access_token: bound.access_token, key: bound.dpop_key };
  const valid = await mint(base);
  check('a resource server with jose accepts a minted valid proof', (await rsCheck(valid.dpop_proof, bound.access_token)) === 'ok');
  check('… and refuses the same proof the second time', (await rsCheck(valid.dpop_proof, bound.access_token)) === 'replay');
  for (const c of ['wrong_htm', 'wrong_htu', 'stale_iat', 'future_iat', 'missing_ath', 'wrong_ath', 'wrong_typ', 'alg_none', 'hs256', 'private_key_in_header', 'bad_signature', 'wrong_key', 'wrong_nonce']) {
    const p = await mint({ ...base, case: c });
    const verdict = await rsCheck(p.dpop_proof, bound.access_token);
    check(`a resource server with jose refuses the minted ${c} proof`, verdict !== 'ok', verdict);
  }
  const replayed = await mint({ ...base, case: 'replayed_jti' });
  const first = await rsCheck(replayed.dpop_proof, bound.access_token);
  check('replayed_jti: valid once, refused the second time', first === 'ok' && (await rsCheck(replayed.dpop_proof, bound.access_token)) === 'replay');
} catch (e) {
  check('minted proofs against a jose resource server', false, show(e));
}

finish();
