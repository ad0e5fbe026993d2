import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir, resolveDataDir } from './context';

describe('the data folder', () => {
  const home = os.homedir();

  it('is the flag, else FLEETDECK_DATA_DIR, else the OS application-data folder', () => {
    expect(resolveDataDir('/tmp/flag', { FLEETDECK_DATA_DIR: '/tmp/env' })).toBe('/tmp/flag');
    expect(resolveDataDir(undefined, { FLEETDECK_DATA_DIR: '/tmp/env' })).toBe('/tmp/env');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/srv/config' }, 'linux')).toBe(
      '/srv/config/Fleetdeck',
    );
    expect(defaultDataDir({}, 'darwin')).toBe(
      path.join(home, 'Library', 'Application Support', 'Fleetdeck'),
    );
  });

  it('ignores an empty or relative XDG_CONFIG_HOME or APPDATA instead of writing into the current folder', () => {
    for (const value of ['', 'relative/config']) {
      expect(defaultDataDir({ XDG_CONFIG_HOME: value }, 'linux')).toBe(
        path.join(home, '.config', 'Fleetdeck'),
      );
      expect(defaultDataDir({ APPDATA: value }, 'win32')).toBe(
        path.join(home, 'AppData', 'Roaming', 'Fleetdeck'),
      );
    }
  });
});
