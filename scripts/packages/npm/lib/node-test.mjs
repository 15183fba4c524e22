// The ES module face of node-test.cjs.
import helper from './node-test.cjs';

export const { useAuthemu } = helper;
