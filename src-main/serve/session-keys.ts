import { type KeyStore, maskKey } from '../ipc/keys';

/**
 * Serve mode has no OS keychain: keys set in the console live in this process's memory only and
 * are gone when `fleetdeck serve` stops (env keys via `apiKeyEnv` keep working).
 */
export class SessionKeyStore implements KeyStore {
  readonly kind = 'session-only' as const;
  private readonly keys = new Map<string, string>();

  async set(providerId: string, key: string): Promise<void> {
    this.keys.set(providerId, key);
  }

  async clear(providerId: string): Promise<void> {
    this.keys.delete(providerId);
  }

  async get(providerId: string): Promise<string | undefined> {
    return this.keys.get(providerId);
  }

  current(providerId: string): string | undefined {
    return this.keys.get(providerId);
  }

  has(providerId: string): boolean {
    return this.keys.has(providerId);
  }

  masked(providerId: string): string | null {
    const key = this.keys.get(providerId);
    return key === undefined ? null : maskKey(key);
  }
}
