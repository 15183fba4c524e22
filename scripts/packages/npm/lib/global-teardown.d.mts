// Types of authemu/global-teardown: Jest's globalTeardown.
export default function globalTeardown(): Promise<void>;
