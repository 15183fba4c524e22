'use strict';
// Jest's globalTeardown for authemu/global-setup (Vitest needs none: the setup returns its teardown).
const { globalTeardown } = require('./global-setup.cjs');

module.exports = globalTeardown;
module.exports.default = globalTeardown;
