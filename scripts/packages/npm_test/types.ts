// Type-checked (tsc --noEmit, strict, NodeNext) against the package's shipped types: every part of
// the API as a TypeScript test suite writes it. Never run.
import { AuthemuError, connectAuthemu, startAuthemu, type Authemu, type JournalEntry, type TokenResponse } from 'authemu';
import globalSetup from 'authemu/global-setup';
import globalTeardown from 'authemu/global-teardown';
import { useAuthemu } from 'authemu/node-test';

export async function everything(): Promise<string> {
  const emu: Authemu = await startAuthemu({ config: { clients: [] }, args: ['--clock-frozen'], env: { TZ: 'UTC' } });
  const t: TokenResponse = await emu.token({ client: 'svc', secret: 's', scope: ['a', 'b'], resource: 'urn:x' });
  const p = await emu.token({ user: 'alice', password: 'alice', scope: 'openid' });
  const m = await emu.mint({ case: 'expired', expires_in: '-5m', claims: { tenant: 'acme' } });
  await emu.clock.freeze();
  await emu.clock.advance('5m');
  await emu.clock.advance(-30);
  await emu.clock.set(new Date());
  await emu.clock.set('2030-01-01T00:00:00Z');
  await emu.clock.release();
  await emu.faults.add({ endpoint: 'token', error: 'temporarily_unavailable', delay: '250ms', count: 2 });
  await emu.faults.clear();
  const entries: JournalEntry[] = await emu.journal({ endpoint: 'token', outcome: 'ok', limit: 10 });
  await emu.logins.queue({ user: 'bob', client_id: 'web' });
  await emu.devices.approve('ABCD-EFGH', 'alice');
  const sandbox = emu.environment('sandbox');
  const st: TokenResponse = await sandbox.token();
  await sandbox.clock.advance('1h');
  await emu.reset();
  await emu.stop();
  const other = await connectAuthemu({ url: emu.url });
  const teardown: () => Promise<void> = await globalSetup();
  await teardown();
  await globalTeardown();
  const handle: Authemu = useAuthemu({ resetAfterEach: false, args: [] });
  try {
    await other.token();
  } catch (e) {
    if (e instanceof AuthemuError) return String(e.status);
  }
  return [t.access_token, p.refresh_token, m.claims.exp, entries[0]?.seq, st.expires_in, handle.url, emu.pid].join();
}
