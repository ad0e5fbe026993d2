import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../../src-shared/errors';
import { InMemoryKeys, type KeyStore } from '../ipc/keys';

/** The part of Electron's `safeStorage` this uses (its async API), so tests pass a fake. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>;
  /** Linux only: which password store backs the encryption ('basic_text' = none). */
  getSelectedStorageBackend?: () => string;
}

export const KEYS_FILE = 'keys.json';

const KeysFileSchema = z.object({
  version: z.literal(1),
  keys: z.record(
    z.string(),
    z.object({
      /** base64 of safeStorage's ciphertext */
      encrypted: z.string(),
      backend: z.string(),
      storedAt: z.string(),
    }),
  ),
});
type KeysFile = z.infer<typeof KeysFileSchema>;

/**
 * Provider keys encrypted by the OS keychain through Electron's `safeStorage`, kept as
 * ciphertext in `<dataDir>/keys.json` (mode 600) — never in SQLite, whose files get copied and
 * attached to bug reports. Keys are decrypted once at open and held in memory for the engine.
 * On Linux without a keyring safeStorage falls back to `basic_text` (a fixed, public key): a key
 * is then stored only when the operator explicitly allows plain-text storage.
 */
export class Keychain extends InMemoryKeys implements KeyStore {
  readonly kind = 'os-keychain' as const;
  private file: KeysFile = { version: 1, keys: {} };

  private constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly filePath: string,
    private readonly onWarning: (message: string) => void,
  ) {
    super();
  }

  static async open(
    safeStorage: SafeStorageLike,
    dataDir: string,
    onWarning: (message: string) => void = () => {},
  ): Promise<Keychain> {
    const keychain = new Keychain(safeStorage, path.join(dataDir, KEYS_FILE), onWarning);
    await keychain.load();
    return keychain;
  }

  private async load(): Promise<void> {
    let text: string;
    try {
      text = fs.readFileSync(this.filePath, 'utf8');
    } catch {
      return;
    }
    const parsed = KeysFileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      this.onWarning(`${this.filePath} is not a Fleetdeck keys file; ignoring it`);
      return;
    }
    this.file = parsed.data;
    let rotated = false;
    for (const [providerId, entry] of Object.entries(this.file.keys)) {
      try {
        const { result, shouldReEncrypt } = await this.safeStorage.decryptStringAsync(
          Buffer.from(entry.encrypted, 'base64'),
        );
        this.keys.set(providerId, result);
        if (shouldReEncrypt) {
          entry.encrypted = (await this.safeStorage.encryptStringAsync(result)).toString('base64');
          rotated = true;
        }
      } catch (error) {
        this.onWarning(
          `cannot decrypt the stored key of ${providerId} (${(error as Error).message}); set it again in Settings`,
        );
      }
    }
    if (rotated) this.save();
  }

  plainTextOnly(): boolean {
    return this.backend() === 'basic_text';
  }

  private backend(): string {
    return this.safeStorage.getSelectedStorageBackend?.() ?? 'os';
  }

  async set(providerId: string, key: string, options: { allowPlainText: boolean }): Promise<void> {
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) {
      throw new InputError(
        "the OS keychain is not available, so the key cannot be stored encrypted; use the provider's apiKeyEnv environment variable instead",
      );
    }
    const backend = this.backend();
    if (backend === 'basic_text' && !options.allowPlainText) {
      throw new InputError(
        'no OS keyring was found (Electron reports the "basic_text" backend), so the key would be stored readable by anyone with your files; allow plain-text storage to store it anyway, or use the provider\'s apiKeyEnv environment variable',
      );
    }
    const encrypted = await this.safeStorage.encryptStringAsync(key);
    this.file.keys[providerId] = {
      encrypted: encrypted.toString('base64'),
      backend,
      storedAt: new Date().toISOString(),
    };
    this.save();
    this.keys.set(providerId, key);
  }

  async clear(providerId: string): Promise<void> {
    delete this.file.keys[providerId];
    this.keys.delete(providerId);
    this.save();
  }

  private save(): void {
    fs.mkdirSync(path.dirname(this.filePath), { recursive: true });
    const temporary = `${this.filePath}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, `${JSON.stringify(this.file, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temporary, this.filePath);
  }
}
