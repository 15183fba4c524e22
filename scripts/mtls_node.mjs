// Node clients of authemu's mutual TLS (RFC 8705), with the certificate authemu issued:
// - https.Agent with cert/key and session reuse, over TLS 1.3 and TLS 1.2: the second and third
//   connections resume the session (socket.isSessionReused()), and the server still knows the
//   certificate there: the token it issues is bound to it, and the resource takes the bound token
//   on a resumed connection and refuses it on a connection without the certificate;
// - openid-client v6 and oauth4webapi with their TlsClientAuth() and a fetch over that agent.
//
// Usage: node mtls_node.mjs ISSUER CA CERT KEY NODE_DIR. Prints "ok - …" lines.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { X509Certificate, createHash } from 'node:crypto';
import { check, finish } from './checks.mjs';

const [issuer, caFile, certFile, keyFile, nodeDir] = process.argv.slice(2);
const ca = readFileSync(caFile), cert = readFileSync(certFile), key = readFileSync(keyFile);
const require = createRequire(pathToFileURL(nodeDir + '/'));
const load = async (name) => import(pathToFileURL(require.resolve(name)));
const thumbprint = createHash('sha256').update(new X509Certificate(cert).raw).digest('base64url');
const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));
const origin = new URL(issuer).origin;

// One request on a new connection of agent (keepAlive off: every request connects again).
function request(agent, method, url, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, agent, headers }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data, reused: req.socket.isSessionReused(), protocol: req.socket.getProtocol() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
const show = (r) => (r instanceof Error ? `${r.name}: ${r.message}` : `${r.status} ${r.body?.slice(0, 300)}`);

for (const version of ['TLSv1.3', 'TLSv1.2']) {
  const agent = new https.Agent({ ca, cert, key, keepAlive: false, maxCachedSessions: 10, minVersion: version, maxVersion: version });
  const get = () => request(agent, 'POST', issuer + '/oauth/token', { body: 'grant_type=client_credentials&client_id=bound', headers: form });
  try {
    const first = await get();
    const token = JSON.parse(first.body).access_token;
    check(`${version}: the first connection authenticates the client by its certificate`, first.status === 200 && first.protocol === version && !first.reused, show(first));
    check(`${version}: its token is bound to the certificate (cnf x5t#S256 = SHA-256 of the DER)`, claimsOf(token).cnf?.['x5t#S256'] === thumbprint, JSON.stringify(claimsOf(token).cnf));
    await new Promise((r) => setTimeout(r, 50)); // TLS 1.3 tickets come after the handshake
    const second = await get();
    check(`${version}: the second connection resumes the session`, second.reused === true, show(second));
    const token2 = second.status === 200 ? JSON.parse(second.body).access_token : '';
    check(`${version}: on the resumed session the server still knows the certificate`, second.status === 200 && claimsOf(token2).cnf?.['x5t#S256'] === thumbprint, show(second));
    const api = await request(agent, 'GET', origin + '/api/ledger/_info', { headers: { Authorization: 'Bearer ' + token } });
    check(`${version}: a resource takes the bound token on a resumed connection with the certificate`, api.status === 200 && api.reused, show(api));
    const bare = new https.Agent({ ca, keepAlive: false, minVersion: version, maxVersion: version });
    const refused = await request(bare, 'GET', origin + '/api/ledger/_info', { headers: { Authorization: 'Bearer ' + token } });
    check(`${version}: without the certificate the bound token is refused (401 invalid_token)`, refused.status === 401 && /invalid_token/.test(refused.headers['www-authenticate']), show(refused));
  } catch (e) {
    check(`${version}: mutual TLS with session reuse`, false, show(e));
  }
}

// A fetch over https.Agent for the OAuth libraries (Node's global fetch takes no client certificate).
const mtlsAgent = new https.Agent({ ca, cert, key, keepAlive: true });
async function mtlsFetch(url, options = {}) {
  const headers = Object.fromEntries(new Headers(options.headers).entries());
  const body = options.body == null ? undefined : typeof options.body === 'string' ? options.body : options.body.toString();
  const r = await request(mtlsAgent, options.method ?? 'GET', String(url), { body, headers });
  return new Response(r.status === 204 ? null : r.body, { status: r.status, headers: Object.entries(r.headers).filter(([, v]) => typeof v === 'string') });
}

try {
  const client = await load('openid-client');
  const config = await client.discovery(new URL(issuer), 'svc', { use_mtls_endpoint_aliases: false }, client.TlsClientAuth(), { [client.customFetch]: mtlsFetch });
  const methods = config.serverMetadata().token_endpoint_auth_methods_supported;
  check('openid-client: discovery lists tls_client_auth and self_signed_tls_client_auth', methods.includes('tls_client_auth') && methods.includes('self_signed_tls_client_auth'), String(methods));
  config[client.customFetch] = mtlsFetch;
  const cc = await client.clientCredentialsGrant(config);
  check('openid-client: clientCredentialsGrant with TlsClientAuth()', typeof cc.access_token === 'string' && claimsOf(cc.access_token).client_id === 'svc', JSON.stringify(cc).slice(0, 200));
  const intro = await client.tokenIntrospection(config, cc.access_token);
  check('openid-client: tokenIntrospection authenticated by the certificate', intro.active === true && intro.client_id === 'svc', JSON.stringify(intro).slice(0, 200));
} catch (e) {
  check('openid-client: TlsClientAuth', false, show(e));
}

try {
  const oauth = await load('oauth4webapi');
  const as = await oauth.processDiscoveryResponse(new URL(issuer), await oauth.discoveryRequest(new URL(issuer), { [oauth.customFetch]: mtlsFetch }));
  const res = await oauth.clientCredentialsGrantRequest(as, { client_id: 'bound' }, oauth.TlsClientAuth(), new URLSearchParams(), { [oauth.customFetch]: mtlsFetch });
  const tokens = await oauth.processClientCredentialsResponse(as, { client_id: 'bound' }, res);
  check('oauth4webapi: client credentials with TlsClientAuth(), a bound token', claimsOf(tokens.access_token).cnf?.['x5t#S256'] === thumbprint, JSON.stringify(tokens).slice(0, 200));
} catch (e) {
  check('oauth4webapi: TlsClientAuth', false, show(e));
}
finish();
