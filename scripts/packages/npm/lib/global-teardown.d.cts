// Types of authemu/global-teardown for require (Jest's globalTeardown).
declare function globalTeardown(): Promise<void>;
export = globalTeardown;
