// The scenarios under node:test with authemu/node-test's useAuthemu (started in before(), reset
// after each test, stopped in after()).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useAuthemu } from 'authemu/node-test';
import { scenarios } from './scenarios.mjs';

const emu = useAuthemu();

for (const [name, run] of Object.entries(scenarios)) test(name, () => run(emu));

test('a fault queued and not used ...', async () => {
  await emu.faults.add({ endpoint: 'token', error: 'server_error', count: 5 });
  await emu.clock.freeze();
});
test('... is gone in the next test, and the clock runs again (reset after each)', async () => {
  assert.deepEqual(await emu.faults.list(), []);
  assert.equal((await emu.clock.get()).environments[0].frozen, false);
  assert.equal((await emu.token()).token_type, 'Bearer');
});
