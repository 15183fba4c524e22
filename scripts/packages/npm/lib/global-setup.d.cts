// Types of authemu/global-setup for require (Jest's globalSetup).
/** Starts authemu, sets AUTHEMU_URL and AUTHEMU_ISSUER, and returns the teardown. */
declare function globalSetup(project?: unknown): Promise<() => Promise<void>>;
declare namespace globalSetup {
  function globalTeardown(): Promise<void>;
}
export = globalSetup;
