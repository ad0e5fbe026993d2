import { InMemoryKeys, type KeyStore } from '../ipc/keys';

/**
 * Serve mode has no OS keychain: keys set in the console live in this process's memory only and
 * are gone when `fleetdeck serve` stops (env keys via `apiKeyEnv` keep working).
 */
export class SessionKeyStore extends InMemoryKeys implements KeyStore {
  readonly kind = 'session-only' as const;

  /** Nothing is written, so nothing is stored in plain text. */
  plainTextOnly(): boolean {
    return false;
  }

  async set(providerId: string, key: string): Promise<void> {
    this.keys.set(providerId, key);
  }

  async clear(providerId: string): Promise<void> {
    this.keys.delete(providerId);
  }
}
