// Types of the ES module face (lib/index.mjs): the same as index.d.ts.
export * from './index.js';
