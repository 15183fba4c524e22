// Types of authemu/node-test.
import type { Authemu, StartOptions } from './index.js';

export interface UseAuthemuOptions extends StartOptions {
  /** Reset the server after each test (default true). */
  resetAfterEach?: boolean;
}

/** Starts authemu in before(), stops it in after(); the handle works once before() has run. */
export function useAuthemu(options?: UseAuthemuOptions): Authemu;
