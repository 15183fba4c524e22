// Makes what the key-based client-authentication benchmark sends, one per request (each jti is
// single use): N ES256 client assertions of client "pkjwt" and N ES256 DPoP proofs for the token
// endpoint, one per line, with the client's public JWK set. Written here so wrk only reads lines.
// Usage: node bench_keyauth.mjs DIR TOKEN_URL N NODE_DIR
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const [dir, tokenUrl, n, nodeDir] = process.argv.slice(2);
const require = createRequire(pathToFileURL(nodeDir + '/'));
const jose = await import(pathToFileURL(require.resolve('jose')));
const client = await jose.generateKeyPair('ES256', { extractable: true });
const dpop = await jose.generateKeyPair('ES256', { extractable: true });
const pub = { ...(await jose.exportJWK(client.publicKey)), kid: 'bench', alg: 'ES256' };
const dpopJwk = await jose.exportJWK(dpop.publicKey);
writeFileSync(`${dir}/jwks.json`, JSON.stringify({ keys: [pub] }));
const now = Math.floor(Date.now() / 1000);
const assertions = [], proofs = [];
for (let i = 0; i < Number(n); i++) {
  assertions.push(await new jose.SignJWT({ iss: 'pkjwt', sub: 'pkjwt', aud: tokenUrl, jti: randomUUID(), iat: now, exp: now + 240 })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench' }).sign(client.privateKey));
  proofs.push(await new jose.SignJWT({ htm: 'POST', htu: tokenUrl, jti: randomUUID(), iat: now })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: dpopJwk }).sign(dpop.privateKey));
}
writeFileSync(`${dir}/assertions`, assertions.join('\n') + '\n');
writeFileSync(`${dir}/proofs`, proofs.join('\n') + '\n');
