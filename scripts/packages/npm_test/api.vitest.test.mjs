// The scenarios under Vitest, against the server of authemu/global-setup (vitest.config.mjs),
// reached with connectAuthemu (AUTHEMU_URL, AUTHEMU_ISSUER) and inject('authemu').
import { afterAll, afterEach, beforeAll, expect, inject, test } from 'vitest';
import { connectAuthemu } from 'authemu';
import { scenarios } from './scenarios.mjs';

let emu;
beforeAll(async () => {
  emu = await connectAuthemu();
});
afterEach(() => emu.reset());
afterAll(() => emu.stop());

test('the global setup provides url and issuer', () => {
  expect(inject('authemu')).toEqual({ url: process.env.AUTHEMU_URL, issuer: process.env.AUTHEMU_ISSUER });
  expect(emu.issuer).toMatch(/^http:\/\/localhost:\d+\/api\/auth$/);
});

for (const [name, run] of Object.entries(scenarios)) test(name, () => run(emu));
