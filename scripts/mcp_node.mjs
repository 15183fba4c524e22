// The MCP authorization flow against authemu with the official TypeScript SDK
// (@modelcontextprotocol/sdk): an MCP server written here (the SDK's McpServer over Streamable
// HTTP, its tokens checked by jose against authemu's JWKS with the audience set to its own URL, its
// RFC 9728 metadata naming authemu), then three SDK clients: one with an OAuthClientProvider that
// registers itself (RFC 7591), is sent to /authorize (signed in by the auto login mode), finishes
// with transport.finishAuth(code), lists the tools and calls one; one with ClientCredentialsProvider
// and one with PrivateKeyJwtProvider, both registered through /register first. And the SDK's
// discovery helpers against authemu's path-insertion URLs.
// Usage: node mcp_node.mjs ISSUER NODE_DIR. Prints "ok - …" lines.
import http from 'node:http';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { check, finish } from './checks.mjs';

const [issuer, nodeDir] = process.argv.slice(2);
const require = createRequire(pathToFileURL(nodeDir + '/'));
const load = async (name) => import(pathToFileURL(require.resolve(name)));
const jose = await load('jose');
const { McpServer } = await load('@modelcontextprotocol/sdk/server/mcp.js');
const { StreamableHTTPServerTransport } = await load('@modelcontextprotocol/sdk/server/streamableHttp.js');
const { Client } = await load('@modelcontextprotocol/sdk/client/index.js');
const { StreamableHTTPClientTransport } = await load('@modelcontextprotocol/sdk/client/streamableHttp.js');
const auth = await load('@modelcontextprotocol/sdk/client/auth.js');
const { ClientCredentialsProvider, PrivateKeyJwtProvider } = await load('@modelcontextprotocol/sdk/client/auth-extensions.js');
const { z } = await load('zod');
const show = (e) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

// --- The MCP server under test: its own URL is its resource (RFC 8707 audience).
const jwks = jose.createRemoteJWKSet(new URL(`${issuer}/keys`));
const server = http.createServer();
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const resource = `${origin}/mcp`;
const metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;
const seen = [];
server.on('request', async (req, res) => {
  if (req.url === '/.well-known/oauth-protected-resource/mcp') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ resource, authorization_servers: [issuer], scopes_supported: ['mcp:tools'], bearer_methods_supported: ['header'] }));
    return;
  }
  const h = req.headers.authorization ?? '';
  try {
    if (!h.startsWith('Bearer ')) throw new Error('no token');
    const { payload } = await jose.jwtVerify(h.slice(7), jwks, { issuer, audience: resource, typ: 'at+jwt' });
    seen.push(payload);
  } catch (e) {
    res.writeHead(401, { 'WWW-Authenticate': `Bearer resource_metadata="${metadataUrl}", scope="mcp:tools"` });
    res.end();
    return;
  }
  const mcp = new McpServer({ name: 'authemu-test', version: '1.0.0' });
  mcp.tool('echo', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text: `echo: ${text}` }] }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); mcp.close(); });
  await mcp.connect(transport);
  await transport.handleRequest(req, res);
});

async function useTools(authProvider, label) {
  const client = new Client({ name: label, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider }));
  const tools = await client.listTools();
  const out = await client.callTool({ name: 'echo', arguments: { text: label } });
  await client.close();
  return { names: tools.tools.map((t) => t.name), text: out.content[0].text };
}

// --- 1. Dynamic registration + code flow with PKCE + resource, signed in by the auto login mode.
class MemoryProvider {
  constructor() { this.codes = []; }
  get redirectUrl() { return 'http://localhost:53682/callback'; }
  get clientMetadata() {
    return { client_name: 'authemu MCP test', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() { return this.info; }
  saveClientInformation(info) { this.info = info; }
  tokens() { return this.saved; }
  saveTokens(t) { this.saved = t; }
  saveCodeVerifier(v) { this.verifier = v; }
  codeVerifier() { return this.verifier; }
  async redirectToAuthorization(url) {
    this.authorizeUrl = url;
    const r = await fetch(url, { redirect: 'manual' });
    const location = new URL(r.headers.get('location'));
    this.codes.push(location.searchParams.get('code'));
    this.iss = location.searchParams.get('iss');
  }
}
try {
  const provider = new MemoryProvider();
  const client = new Client({ name: 'dcr', version: '1.0.0' });
  let transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
  try {
    await client.connect(transport);
    check('the first connection without a token is refused', false, 'connected');
  } catch (e) {
    check('the first connection without a token is refused (UnauthorizedError)', e instanceof auth.UnauthorizedError, show(e));
  }
  check('the SDK registered itself at /register', !!provider.info?.client_id && !provider.info.client_secret, JSON.stringify(provider.info));
  const url = provider.authorizeUrl;
  check('the authorization request carries resource, PKCE S256 and the PRM scope',
    url?.searchParams.get('resource') === resource && url.searchParams.get('code_challenge_method') === 'S256' &&
    url.searchParams.get('scope') === 'mcp:tools', url?.toString());
  check('the auto login mode answered with a code and the RFC 9207 iss', !!provider.codes[0] && provider.iss === issuer, `${provider.codes[0]} ${provider.iss}`);
  await transport.finishAuth(provider.codes[0]);
  const claims = JSON.parse(Buffer.from(provider.saved.access_token.split('.')[1], 'base64url'));
  check('the access token is for the MCP server: aud is exactly its URL', JSON.stringify(claims.aud) === JSON.stringify([resource]), JSON.stringify(claims.aud));
  check('no ID token without openid (plain OAuth 2.0)', provider.saved.id_token === undefined);
  transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
  await client.connect(transport);
  const tools = await client.listTools();
  const out = await client.callTool({ name: 'echo', arguments: { text: 'hi' } });
  check('the MCP client lists the tools and calls one', tools.tools.some((t) => t.name === 'echo') && out.content[0].text === 'echo: hi');
  await client.close();
} catch (e) {
  check('the MCP code flow with dynamic registration', false, show(e));
}

// --- 2. and 3. Machine clients registered first: client credentials, private_key_jwt.
const register = async (metadata) => (await fetch(`${issuer}/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(metadata) })).json();
try {
  const reg = await register({ client_name: 'mcp machine', grant_types: ['client_credentials'], scope: 'mcp:tools' });
  const r = await useTools(new ClientCredentialsProvider({ clientId: reg.client_id, clientSecret: reg.client_secret, expectedIssuer: issuer }), 'client-credentials');
  check('ClientCredentialsProvider: a registered client gets a token for the server and calls a tool', r.text === 'echo: client-credentials', JSON.stringify(r));
} catch (e) {
  check('ClientCredentialsProvider against authemu', false, show(e));
}
try {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await jose.exportJWK(publicKey)), kid: 'mcp1' };
  const reg = await register({ client_name: 'mcp pkjwt', grant_types: ['client_credentials'], token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [jwk] } });
  const r = await useTools(new PrivateKeyJwtProvider({ clientId: reg.client_id, privateKey: await jose.exportJWK(privateKey), algorithm: 'ES256', expectedIssuer: issuer }), 'private-key-jwt');
  check('PrivateKeyJwtProvider: a registered private_key_jwt client calls a tool', r.text === 'echo: private-key-jwt', JSON.stringify(r));
} catch (e) {
  check('PrivateKeyJwtProvider against authemu', false, show(e));
}

// --- openid-client v6: dynamicClientRegistration, then a token for a resource (RFC 8707).
try {
  const oc = await load('openid-client');
  const config = await oc.dynamicClientRegistration(new URL(issuer), { client_name: 'openid-client', grant_types: ['client_credentials'] },
    undefined, { execute: [oc.allowInsecureRequests] });
  const t = await oc.clientCredentialsGrant(config, { resource: 'https://api.example/orders' });
  const aud = JSON.parse(Buffer.from(t.access_token.split('.')[1], 'base64url')).aud;
  check('openid-client dynamicClientRegistration, then a token whose aud is the resource', JSON.stringify(aud) === '["https://api.example/orders"]', JSON.stringify(aud));
} catch (e) {
  check('openid-client dynamicClientRegistration and resource', false, show(e));
}

// --- The SDK's discovery helpers at the RFC 8414 / OIDC path-insertion URLs.
try {
  const meta = await auth.discoverAuthorizationServerMetadata(new URL(issuer));
  check('discoverAuthorizationServerMetadata: issuer, registration_endpoint, S256', meta.issuer === issuer &&
    meta.registration_endpoint === `${issuer}/register` && meta.code_challenge_methods_supported.includes('S256'), JSON.stringify(meta).slice(0, 200));
  const prm = await auth.discoverOAuthProtectedResourceMetadata(new URL(`${new URL(issuer).origin}/api/ledger`));
  check("discoverOAuthProtectedResourceMetadata: the stand-in's RFC 9728 document", prm.resource === `${new URL(issuer).origin}/api/ledger` &&
    prm.authorization_servers[0] === issuer, JSON.stringify(prm));
} catch (e) {
  check('the SDK discovery helpers', false, show(e));
}

server.close();
finish();
