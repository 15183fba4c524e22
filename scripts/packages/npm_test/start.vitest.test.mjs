// startAuthemu in a test file: a fixture given as an object, flags, environments, the sign-in
// queue, a device approval, and stop().
import { expect, test } from 'vitest';
import { connectAuthemu, startAuthemu, AuthemuError } from 'authemu';

test('a fixture object and flags: its client, ES256, no sandbox', async () => {
  const emu = await startAuthemu({
    config: { clients: [{ id: 'svc', secrets: ['svc-secret'], grantTypes: ['client_credentials'] }] },
    args: ['--signing-algorithm', 'ES256'],
  });
  try {
    const t = await emu.token({ client: 'svc', secret: 'svc-secret' });
    const header = JSON.parse(Buffer.from(t.access_token.split('.')[0], 'base64url').toString());
    expect(header.alg).toBe('ES256');
    await expect(emu.token()).rejects.toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(() => emu.environment('sandbox')).toThrow("no environment 'sandbox' (there are: default)");
  } finally {
    await emu.stop();
  }
});

test('environments, the sign-in queue and a device approval', async () => {
  const emu = await startAuthemu();
  try {
    const sandbox = emu.environment('sandbox');
    expect(sandbox.issuer).toBe(emu.issuer.replace('/api/auth', '/sandbox/api/auth'));
    const t = await sandbox.token();
    expect(JSON.parse(Buffer.from(t.access_token.split('.')[1], 'base64url').toString()).iss).toBe(sandbox.issuer);
    expect((await sandbox.mint({ case: 'expired' })).claims.iss).toBe(sandbox.issuer);

    await emu.logins.queue({ user: 'bob', client_id: 'web' });
    expect(await emu.logins.list()).toHaveLength(1);

    const da = await (await fetch(`${emu.issuer}/device_authorization`, {
      method: 'POST', body: new URLSearchParams({ client_id: 'spa', scope: 'openid' }) })).json();
    await emu.devices.approve(da.user_code, 'alice');
    const poll = await (await fetch(`${emu.issuer}/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: da.device_code, client_id: 'spa' }),
    })).json();
    expect(typeof poll.access_token).toBe('string');
    await expect(emu.devices.approve('NOPE-NOPE', 'alice')).rejects.toBeInstanceOf(AuthemuError);
  } finally {
    await emu.stop();
  }
  expect(() => process.kill(emu.pid, 0)).toThrow();
});

test('--tls: calls over HTTPS trusting the ready line CA; --admin-token: admin calls send it', async () => {
  const emu = await startAuthemu({ args: ['--tls', '--admin-token', 's3cret'] });
  try {
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.issuer).toMatch(/^https:\/\/localhost:\d+\/api\/auth$/);
    expect((await emu.token()).token_type).toBe('Bearer');
    expect((await emu.mint({ case: 'expired' })).claims.iss).toBe(emu.issuer);
    const ca = (await import('node:fs')).readFileSync(emu.ready.ca_file);
    const other = await connectAuthemu({ url: emu.url, issuer: emu.issuer, adminToken: '', ca });
    await expect(other.reset()).rejects.toMatchObject({ status: 401 });
    await other.stop();
  } finally {
    await emu.stop();
  }
});
