// Must not type-check: a boolean duration and an unknown token option.
import { startAuthemu } from 'authemu';

export async function wrong(): Promise<void> {
  const emu = await startAuthemu();
  await emu.clock.advance(true);
  await emu.token({ clientId: 'x' });
}
