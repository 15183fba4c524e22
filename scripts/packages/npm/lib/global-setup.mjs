// The ES module face of global-setup.cjs: Vitest and Jest call the default export.
import setup from './global-setup.cjs';

export default setup.globalSetup;
