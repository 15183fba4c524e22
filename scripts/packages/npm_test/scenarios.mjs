// The package's API as a test suite uses it, one function per test, run by Vitest
// (api.vitest.test.mjs) and by node:test (api.node.test.mjs) against a server in its fixture state.
import assert from 'node:assert/strict';
import { AuthemuError } from 'authemu';
import { startResourceServer } from './resource_server.mjs';

async function introspect(emu, token) {
  const r = await fetch(`${emu.issuer}/oauth/introspect`, {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from('testing:testing').toString('base64') },
    body: new URLSearchParams({ token }),
  });
  return (await r.json()).active;
}

function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
}

export const scenarios = {
  async 'client credentials: a token of the testing client'(emu) {
    const t = await emu.token();
    assert.equal(t.token_type, 'Bearer');
    assert.equal(t.expires_in, 3600);
    const claims = claimsOf(t.access_token);
    assert.equal(claims.iss, emu.issuer);
    assert.deepEqual(claims.aud, ['testing']);
  },

  async 'the password grant for alice, with a scope'(emu) {
    const t = await emu.token({ user: 'alice', password: 'alice', scope: 'openid email' });
    assert.equal(claimsOf(t.access_token).email, 'alice@example.com');
    assert.equal(typeof t.refresh_token, 'string');
    await assert.rejects(emu.token({ user: 'alice', password: 'wrong' }), (e) =>
      e instanceof AuthemuError && e.status === 400 && e.body.error === 'invalid_grant');
  },

  async 'a minted expired token is refused by a jose resource server, an issued one accepted'(emu) {
    const rs = await startResourceServer({ issuer: emu.issuer, audience: 'testing' });
    try {
      const expired = await emu.mint({ case: 'expired' });
      assert.ok(expired.claims.exp < Date.now() / 1000);
      assert.deepEqual(await rs.call(expired.access_token), { status: 401, body: 'ERR_JWT_EXPIRED' });
      const foreign = await emu.mint({ case: 'foreign_key' });
      assert.deepEqual(await rs.call(foreign.access_token), { status: 401, body: 'ERR_JWKS_NO_MATCHING_KEY' });
      const issued = await emu.token();
      const ok = await rs.call(issued.access_token);
      assert.equal(ok.status, 200);
      assert.equal(JSON.parse(ok.body).client_id, 'testing');
    } finally {
      await rs.close();
    }
  },

  async 'clock travel: a token is active one second before exp and not at exp'(emu) {
    await emu.clock.freeze();
    const { access_token } = await emu.token();
    await emu.clock.advance('59m59s');
    assert.equal(await introspect(emu, access_token), true);
    await emu.clock.advance(1);
    assert.equal(await introspect(emu, access_token), false);
    const state = await emu.clock.get();
    assert.ok(state.environments.every((c) => c.frozen && c.offset === 3600));
  },

  async 'a fault: the token endpoint answers temporarily_unavailable once, then tokens again'(emu) {
    const fault = await emu.faults.add({ endpoint: 'token', error: 'temporarily_unavailable' });
    assert.equal((await emu.faults.list()).length, 1);
    await assert.rejects(emu.token(), (e) =>
      e instanceof AuthemuError && e.status === 503 && e.body.error === 'temporarily_unavailable');
    assert.equal((await emu.token()).token_type, 'Bearer');
    assert.deepEqual(await emu.faults.list(), []);
    assert.equal(typeof fault.id, 'string');
  },

  async 'the journal: each token request, its outcome and the fault that answered'(emu) {
    await emu.faults.add({ endpoint: 'token', error: 'server_error' });
    await assert.rejects(emu.token(), (e) => e.status === 500);
    await emu.token();
    const entries = await emu.journal({ endpoint: 'token' });
    assert.deepEqual(entries.map((e) => [e.grant_type, e.client_id, e.status, e.outcome]), [
      ['client_credentials', 'testing', 500, 'server_error'],
      ['client_credentials', 'testing', 200, 'ok'],
    ]);
    assert.ok(entries[0].fault);
    assert.equal(entries[1].fault, undefined);
    assert.deepEqual(await emu.journal({ outcome: 'invalid_grant' }), []);
  },
};
