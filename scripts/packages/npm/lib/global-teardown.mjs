// The ES module face of global-teardown.cjs.
import setup from './global-setup.cjs';

export default setup.globalTeardown;
