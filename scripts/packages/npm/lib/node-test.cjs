'use strict';
// node:test helper: useAuthemu(options) starts authemu in a before() hook of the current suite (or
// file), stops it in after(), and resets it after each test unless resetAfterEach is false. The
// handle it returns is the started server, usable inside tests and hooks.
const { before, after, afterEach } = require('node:test');
const { startAuthemu, AuthemuError } = require('./index.cjs');

function useAuthemu({ resetAfterEach = true, ...options } = {}) {
  let emu;
  before(async () => {
    emu = await startAuthemu(options);
  });
  after(async () => {
    if (emu) await emu.stop();
  });
  if (resetAfterEach) {
    afterEach(async () => {
      if (emu) await emu.reset();
    });
  }
  return new Proxy(
    {},
    {
      get(_, prop) {
        if (prop === 'then') return undefined; // not a promise
        if (!emu) throw new AuthemuError(`authemu: ${String(prop)} used before useAuthemu's before() hook started the server`);
        const value = emu[prop];
        return typeof value === 'function' ? value.bind(emu) : value;
      },
    });
}

module.exports = { useAuthemu };
