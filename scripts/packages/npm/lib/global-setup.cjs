'use strict';
// Ready-made global setup: one authemu for the whole run. Vitest's globalSetup (the default export;
// the function it returns is the teardown) and Jest's globalSetup (with authemu/global-teardown as
// globalTeardown). AUTHEMU_CONFIG (a fixture file) and AUTHEMU_ARGS (flags, split on spaces) start
// it; AUTHEMU_URL and AUTHEMU_ISSUER tell the test files where it is (connectAuthemu reads them),
// and Vitest's inject('authemu') gives {url, issuer} too.
const { startAuthemu } = require('./index.cjs');

const KEY = Symbol.for('authemu.globalSetup');

async function globalSetup(project) {
  const args = (process.env.AUTHEMU_ARGS || '').split(/\s+/).filter(Boolean);
  const emu = await startAuthemu({ config: process.env.AUTHEMU_CONFIG || undefined, args });
  globalThis[KEY] = emu;
  process.env.AUTHEMU_URL = emu.url;
  process.env.AUTHEMU_ISSUER = emu.issuer;
  if (project && typeof project.provide === 'function') project.provide('authemu', { url: emu.url, issuer: emu.issuer });
  return globalTeardown;
}

async function globalTeardown() {
  const emu = globalThis[KEY];
  delete globalThis[KEY];
  if (emu) await emu.stop();
}

module.exports = globalSetup;
module.exports.default = globalSetup;
module.exports.globalSetup = globalSetup;
module.exports.globalTeardown = globalTeardown;
