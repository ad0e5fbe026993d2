import type { KeyStoreLike } from './types';

/** A key store the engine can read synchronously at each call (keys decrypted once, in memory). */
export interface KeyStore extends KeyStoreLike {
  current(providerId: string): string | undefined;
}

/**
 * The only form of a key that leaves the main process: "sk-…f00d" for long keys, fewer
 * characters for short ones (never more than a quarter of the key), "…" for very short ones.
 */
export function maskKey(key: string): string {
  if (key.length >= 20) return `${key.slice(0, 3)}…${key.slice(-4)}`;
  if (key.length >= 8) return `…${key.slice(-2)}`;
  return '…';
}

/**
 * The read side every key store shares: keys held decrypted in this process's memory, handed to
 * the engine, and shown to anyone else only masked. Subclasses decide how keys are kept.
 */
export abstract class InMemoryKeys {
  protected readonly keys = new Map<string, string>();

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
