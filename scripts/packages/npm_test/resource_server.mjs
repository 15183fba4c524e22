// A small resource server as a service under test would be: npm's jose verifies each bearer token
// against the issuer's JWKS (from discovery), issuer, audience and expiry; 200 with the claims, or
// 401 naming jose's error code.
import http from 'node:http';
import { once } from 'node:events';
import { createRemoteJWKSet, jwtVerify } from 'jose';

export async function startResourceServer({ issuer, audience }) {
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const server = http.createServer(async (req, res) => {
    const token = (req.headers.authorization || '').replace(/^Bearer /, '');
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, audience });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    } catch (e) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(e.code || e.message);
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    async call(token) {
      const r = await fetch(this.url, { headers: { authorization: `Bearer ${token}` } });
      return { status: r.status, body: await r.text() };
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
