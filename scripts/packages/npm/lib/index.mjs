// The ES module face of index.cjs (one implementation for import and require).
import authemu from './index.cjs';

export const { startAuthemu, connectAuthemu, binaryPath, AuthemuError } = authemu;
