// Interop: panva's jose (npm), a strict third-party JWT library, verifies authemu access tokens as
// an RFC 9068 resource server would: JWKS from discovery, typ at+jwt, issuer, audience, required
// claims, expiry (by moving jose's clock, not by waiting).
//
// Usage: node interop_jose.mjs ISSUER JOSE_DIR. JOSE_DIR holds node_modules/jose
// (scripts/deps.sh test installs it into build/node). Prints "ok - ..." / "not ok - ..." lines.
// With ALGORITHMS_ORIGIN and ALGORITHMS_SECRET set (a server started with tests/data/algorithms.yaml),
// also verifies the ES256, PS256 and HS256 tokens of its environments es, ps and hs.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { check, finish } from './checks.mjs';

const [issuer, joseDir] = process.argv.slice(2);
const require = createRequire(pathToFileURL(joseDir + '/'));
const { createRemoteJWKSet, jwtVerify, decodeProtectedHeader } = await import(pathToFileURL(require.resolve('jose')));

const form = (body, auth) => fetch(issuer + '/oauth/token', {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from(auth).toString('base64') },
  body: new URLSearchParams(body),
}).then((r) => r.json());

const meta = await (await fetch(issuer + '/.well-known/openid-configuration')).json();
check('discovery issuer matches', meta.issuer === issuer, meta.issuer);
const JWKS = createRemoteJWKSet(new URL(meta.jwks_uri));
const rfc9068 = { issuer, algorithms: ['RS256'], typ: 'at+jwt', requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'] };

const cc = await form({ grant_type: 'client_credentials' }, 'testing:testing');
try {
  const { payload, protectedHeader } = await jwtVerify(cc.access_token, JWKS, { ...rfc9068, audience: 'testing' });
  check('client credentials token passes RFC 9068 checks', payload.client_id === 'testing' && protectedHeader.kid);
} catch (e) { check('client credentials token passes RFC 9068 checks', false, e.code); }

const pw = await form({ grant_type: 'password', username: 'alice', password: 'alice' }, 'testing:testing');
try {
  const { payload } = await jwtVerify(pw.access_token, JWKS, { ...rfc9068, audience: 'testing' });
  check('password token carries the user and the group array',
    payload.preferred_username === 'alice' && JSON.stringify(payload.group) === '["ftl-admin","ftl"]', JSON.stringify(payload));
} catch (e) { check('password token carries the user and the group array', false, e.code); }

const expect = async (name, token, options, code) => {
  try {
    await jwtVerify(token, JWKS, options);
    check(name, false, 'accepted');
  } catch (e) { check(name, e.code === code, e.code); }
};
const later = new Date(Date.now() + 301 * 1000);
await expect('expired after its 5 minutes', pw.access_token, { ...rfc9068, audience: 'testing', currentDate: later }, 'ERR_JWT_EXPIRED');
await expect('another audience is refused', cc.access_token, { ...rfc9068, audience: 'ftl' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
await expect('another issuer is refused', cc.access_token, { ...rfc9068, audience: 'testing', issuer: issuer + '/x' }, 'ERR_JWT_CLAIM_VALIDATION_FAILED');
const [h, p, s] = cc.access_token.split('.');
const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url')), client_id: 'admin' })).toString('base64url');
await expect('a tampered token is refused', `${h}.${forged}.${s}`, { ...rfc9068, audience: 'testing' }, 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
check('header names the key and the type', decodeProtectedHeader(cc.access_token).typ === 'at+jwt');

const origin = process.env.ALGORITHMS_ORIGIN;
if (origin) {
  for (const [env, alg] of [['es', 'ES256'], ['ps', 'PS256'], ['hs', 'HS256']]) {
    const iss = `${origin}/${env}/api/auth`;
    const m = await (await fetch(iss + '/.well-known/openid-configuration')).json();
    check(`${alg}: discovery lists the algorithm`, JSON.stringify(m.id_token_signing_alg_values_supported) === JSON.stringify([alg]));
    const t = await fetch(m.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic ' + Buffer.from('testing:testing').toString('base64') },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    }).then((r) => r.json());
    const key = alg === 'HS256' ? new TextEncoder().encode(process.env.ALGORITHMS_SECRET) : createRemoteJWKSet(new URL(m.jwks_uri));
    const options = { issuer: iss, audience: 'testing', algorithms: [alg], typ: 'at+jwt' };
    try {
      const { protectedHeader } = await jwtVerify(t.access_token, key, options);
      check(`${alg}: the token passes RFC 9068 checks`, protectedHeader.alg === alg, protectedHeader.alg);
    } catch (e) { check(`${alg}: the token passes RFC 9068 checks`, false, e.code); }
    // RFC 8725 §3.1: a verifier that allows only another algorithm refuses the token.
    const other = alg === 'HS256' ? ['HS384'] : ['RS256'];
    try {
      await jwtVerify(t.access_token, key, { ...options, algorithms: other });
      check(`${alg}: refused where only ${other[0]} is allowed`, false, 'accepted');
    } catch (e) { check(`${alg}: refused where only ${other[0]} is allowed`, e.code === 'ERR_JOSE_ALG_NOT_ALLOWED', e.code); }
  }
}

finish();
