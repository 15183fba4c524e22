// Types of authemu/global-setup: Vitest's and Jest's globalSetup.
/** Starts authemu, sets AUTHEMU_URL and AUTHEMU_ISSUER, and returns the teardown. */
export default function globalSetup(project?: unknown): Promise<() => Promise<void>>;
