#!/usr/bin/env node
'use strict';
// `npx authemu …`: runs this package's binary for the machine (or AUTHEMU_BIN) with the same
// arguments and environment, passes signals on, and ends as it ends.
const { spawn } = require('node:child_process');
const { binaryPath } = require('../lib/index.cjs');

let file;
try {
  file = binaryPath();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const child = spawn(file, process.argv.slice(2), { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (e) => {
  console.error(`authemu: ${file}: ${e.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code);
  }
});
