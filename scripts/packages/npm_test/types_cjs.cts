// Type-checked as CommonJS (a .cts file: require under the hood) against the package's "require"
// declarations: the API, and Jest's setup and teardown modules as `export =` functions. Never run.
import { startAuthemu, type Authemu } from 'authemu';
import globalSetup = require('authemu/global-setup');
import globalTeardown = require('authemu/global-teardown');
import { useAuthemu } from 'authemu/node-test';

export async function commonjs(): Promise<string> {
  const emu: Authemu = await startAuthemu({ args: [] });
  const teardown = await globalSetup();
  await teardown();
  await globalTeardown();
  await globalSetup.globalTeardown();
  return emu.url + useAuthemu().issuer + (await emu.token()).access_token;
}
