import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/temp-dir';
import { InputError } from '../../src-shared/errors';
import { CHANNELS, EVENT_NAMES } from '../../src-shared/ipc';
import { CHANNEL_NAMES, EVENT_NAME_LIST } from '../../src-shared/ipc/names';
import { KEYS_FILE, Keychain, type SafeStorageLike } from './keychain';
import { isAllowedExternal, isAppUrl, isTrustedFrame } from './trusted-sender';
import { restoreBounds } from './window-state';

describe('preload', () => {
  it("exposes exactly the contract's channels and events", () => {
    expect([...CHANNEL_NAMES].sort()).toEqual([...CHANNELS].sort());
    expect([...EVENT_NAME_LIST].sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('imports nothing but electron and the dependency-free names (it runs sandboxed)', () => {
    const source = fs.readFileSync(path.join(__dirname, 'preload.ts'), 'utf8');
    const imports = [...source.matchAll(/from '([^']+)'/g)].map((match) => match[1]);
    expect(imports).toEqual(['electron', '../../src-shared/ipc/names']);
    const names = fs.readFileSync(path.join(__dirname, '../../src-shared/ipc/names.ts'), 'utf8');
    expect([...names.matchAll(/^import (?!type)/gm)]).toEqual([]);
  });
});

describe('trusted sender', () => {
  const app = { rendererFile: '/opt/Fleetdeck/resources/app.asar/out/renderer/index.html' };
  it("accepts only the app's own page", () => {
    expect(
      isAppUrl('file:///opt/Fleetdeck/resources/app.asar/out/renderer/index.html#/fleet', app),
    ).toBe(true);
    expect(isAppUrl('file:///opt/Fleetdeck/resources/app.asar/out/renderer/other.html', app)).toBe(
      false,
    );
    expect(isAppUrl('file:///tmp/evil.html', app)).toBe(false);
    expect(isAppUrl('https://evil.example/out/renderer/index.html', app)).toBe(false);
    expect(isAppUrl(undefined, app)).toBe(false);
    expect(isAppUrl('not a url', app)).toBe(false);
  });
  it('accepts the dev server origin in development only', () => {
    const dev = { ...app, devUrl: 'http://localhost:5173/' };
    expect(isAppUrl('http://localhost:5173/#/runs', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('file:///opt/Fleetdeck/resources/app.asar/out/renderer/index.html', dev)).toBe(
      false,
    );
  });
  it('trusts only the main frame of the window, showing the app', () => {
    const main = { url: 'file:///opt/Fleetdeck/resources/app.asar/out/renderer/index.html' };
    expect(isTrustedFrame(main, main, app)).toBe(true);
    expect(isTrustedFrame({ url: main.url }, main, app)).toBe(false);
    expect(isTrustedFrame(null, main, app)).toBe(false);
    expect(isTrustedFrame(main, undefined, app)).toBe(false);
    const navigatedAway = { url: 'https://evil.example/' };
    expect(isTrustedFrame(navigatedAway, navigatedAway, app)).toBe(false);
  });

  it('opens only allow-listed https links externally', () => {
    expect(isAllowedExternal('https://github.com/fleetdeck')).toBe(true);
    expect(isAllowedExternal('http://github.com/')).toBe(false);
    expect(isAllowedExternal('https://github.com.evil.example/')).toBe(false);
    expect(isAllowedExternal('https://user:pass@github.com/')).toBe(false);
    expect(isAllowedExternal('file:///etc/passwd')).toBe(false);
  });
});

describe('window bounds', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1050 };
  it('restores saved bounds on a connected display', () => {
    expect(
      restoreBounds(
        { x: 100, y: 80, width: 1200, height: 800, maximized: true },
        [primary],
        primary,
      ),
    ).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
  });
  it('never restores off-screen (the monitor it was on is gone)', () => {
    const bounds = restoreBounds(
      { x: 2500, y: 100, width: 1200, height: 800, maximized: false },
      [primary],
      primary,
    );
    expect(bounds.x).toBeGreaterThanOrEqual(0);
    expect(bounds.x + bounds.width).toBeLessThanOrEqual(1920);
  });
  it('fits a small display', () => {
    const small = { x: 0, y: 0, width: 1024, height: 700 };
    expect(restoreBounds(undefined, [small], small)).toMatchObject({ width: 1024, height: 700 });
  });
});

/** A stand-in for Electron's safeStorage: reversible, but never the plain text. */
function fakeSafeStorage(backend: string, available = true): SafeStorageLike & { rotate: boolean } {
  return {
    rotate: false,
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (plain) => Buffer.from(`enc:${Buffer.from(plain).toString('hex')}`),
    async decryptStringAsync(encrypted) {
      const text = encrypted.toString();
      if (!text.startsWith('enc:')) throw new Error('bad ciphertext');
      return { result: Buffer.from(text.slice(4), 'hex').toString(), shouldReEncrypt: this.rotate };
    },
    getSelectedStorageBackend: () => backend,
  };
}

describe('keychain', () => {
  const temp = makeTempDir('fleetdeck-keychain-');
  afterEach(() => fs.rmSync(path.join(temp.dir, KEYS_FILE), { force: true }));
  afterAll(() => temp.cleanup());
  const key = 'sk-live-0123456789abcdef0123';

  it('stores keys encrypted in a file of its own, masked for everyone else, and reads them back', async () => {
    const storage = fakeSafeStorage('gnome_libsecret');
    const keychain = await Keychain.open(storage, temp.dir);
    await keychain.set('together', key, { allowPlainText: false });
    expect(keychain.masked('together')).toBe('sk-…0123');
    const file = fs.readFileSync(path.join(temp.dir, KEYS_FILE), 'utf8');
    expect(file).not.toContain(key);
    expect(fs.statSync(path.join(temp.dir, KEYS_FILE)).mode & 0o077).toBe(0);
    const reopened = await Keychain.open(storage, temp.dir);
    expect(await reopened.get('together')).toBe(key);
    expect(reopened.current('together')).toBe(key);
    await reopened.clear('together');
    expect((await Keychain.open(storage, temp.dir)).has('together')).toBe(false);
  });

  it('refuses to persist a key on the basic_text backend unless the operator allows plain text', async () => {
    const keychain = await Keychain.open(fakeSafeStorage('basic_text'), temp.dir);
    // Settings tells the console up front, so it asks for the opt-in before the first refusal.
    expect(keychain.plainTextOnly()).toBe(true);
    expect(
      (await Keychain.open(fakeSafeStorage('gnome_libsecret'), temp.dir)).plainTextOnly(),
    ).toBe(false);
    await expect(keychain.set('together', key, { allowPlainText: false })).rejects.toThrow(
      InputError,
    );
    expect(fs.existsSync(path.join(temp.dir, KEYS_FILE))).toBe(false);
    expect(keychain.has('together')).toBe(false);
    await keychain.set('together', key, { allowPlainText: true });
    expect(keychain.has('together')).toBe(true);
  });

  it('refuses when the OS offers no encryption at all', async () => {
    const keychain = await Keychain.open(fakeSafeStorage('unknown', false), temp.dir);
    await expect(keychain.set('together', key, { allowPlainText: true })).rejects.toThrow(
      /keychain is not available/,
    );
  });
});
