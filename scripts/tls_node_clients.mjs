// npm's OAuth clients against authemu over HTTPS, trusting its CA through NODE_EXTRA_CA_CERTS only:
// openid-client v6 (no allowInsecureRequests) discovers the issuer, runs client_credentials,
// introspects, and a password grant whose ID token names the user userinfo then answers for;
// oauth4webapi does discovery, client_credentials and introspection with its own validation.
//
// Usage: NODE_EXTRA_CA_CERTS=CA node tls_node_clients.mjs ISSUER NODE_DIR. Prints "ok - …" lines.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { check, finish } from './checks.mjs';

const [issuer, nodeDir] = process.argv.slice(2);
const require = createRequire(pathToFileURL(nodeDir + '/'));
const load = async (name) => import(pathToFileURL(require.resolve(name)));
const client = await load('openid-client');
const oauth = await load('oauth4webapi');
const ALICE = '5d0d3f26-1c3b-4a8e-9f4b-2f6a1d7c9e01';
const show = (e) => (e instanceof Error ? `${e.name}: ${e.message}${e.cause ? ' (' + (e.cause.code || e.cause.message || e.cause) + ')' : ''}` : JSON.stringify(e)?.slice(0, 300));
const attempt = (p) => p.then((value) => ({ value }), (error) => ({ error }));

// openid-client v6.
const disc = await attempt(client.discovery(new URL(issuer), 'testing', 'testing'));
check('openid-client: discovery over HTTPS without allowInsecureRequests', !disc.error, show(disc.error));
if (disc.value) {
  const config = disc.value;
  check('openid-client: the discovered issuer is the https issuer', config.serverMetadata().issuer === issuer, config.serverMetadata().issuer);
  const cc = await attempt(client.clientCredentialsGrant(config));
  check('openid-client: clientCredentialsGrant gets a bearer token', cc.value?.access_token && cc.value.token_type.toLowerCase() === 'bearer', show(cc.error ?? cc.value));
  if (cc.value) {
    const intro = await attempt(client.tokenIntrospection(config, cc.value.access_token));
    check('openid-client: tokenIntrospection says active', intro.value?.active === true && intro.value.iss === issuer, show(intro.error ?? intro.value));
  }
  const pw = await attempt(client.genericGrantRequest(config, 'password', { username: 'alice', password: 'alice', scope: 'openid email' }));
  const claims = pw.value?.claims();
  check('openid-client: a password grant\'s ID token is validated and names alice', claims?.sub === ALICE && claims.iss === issuer, show(pw.error ?? claims));
  if (claims) {
    const ui = await attempt(client.fetchUserInfo(config, pw.value.access_token, claims.sub));
    check('openid-client: fetchUserInfo answers for the same subject', ui.value?.email === 'alice@example.com', show(ui.error ?? ui.value));
  }
}

// oauth4webapi.
const url = new URL(issuer);
const as = await attempt(oauth.discoveryRequest(url, { algorithm: 'oidc' }).then((r) => oauth.processDiscoveryResponse(url, r)));
check('oauth4webapi: discovery over HTTPS, issuer validated', as.value?.issuer === issuer, show(as.error ?? as.value));
if (as.value) {
  const c = { client_id: 'testing' };
  const auth = oauth.ClientSecretBasic('testing');
  const tok = await attempt(oauth.clientCredentialsGrantRequest(as.value, c, auth, new URLSearchParams())
    .then((r) => oauth.processClientCredentialsResponse(as.value, c, r)));
  check('oauth4webapi: client_credentials gets a bearer token', tok.value?.access_token && tok.value.token_type === 'bearer', show(tok.error ?? tok.value));
  if (tok.value) {
    const intro = await attempt(oauth.introspectionRequest(as.value, c, auth, tok.value.access_token)
      .then((r) => oauth.processIntrospectionResponse(as.value, c, r)));
    check('oauth4webapi: introspection says active', intro.value?.active === true, show(intro.error ?? intro.value));
  }
}
finish();
