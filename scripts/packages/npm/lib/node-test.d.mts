// Types of the ES module face of authemu/node-test: the same as node-test.d.ts.
export * from './node-test.js';
