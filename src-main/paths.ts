import fs from 'node:fs';
import path from 'node:path';

let cachedRoot: string | undefined;

/**
 * The installation root (the folder holding package.json and resources/), found by walking up
 * from this file: the same answer from the TypeScript sources, the CLI bundle in out/cli and the
 * Electron build in out/main.
 */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'resources')) && fs.existsSync(path.join(dir, 'package.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the Fleetdeck resources folder above ${__dirname}`);
    dir = parent;
  }
}

export function resourcesDir(...segments: string[]): string {
  return path.join(appRoot(), 'resources', ...segments);
}
