// Builds better-sqlite3 for Electron's ABI into out/native/electron/better_sqlite3.node, which
// the Electron main process loads through better-sqlite3's `nativeBinding` option. It compiles a
// COPY of the package, so node_modules keeps the Node-ABI build that `npm test` and the CLI use
// (@electron/rebuild and electron-builder install-app-deps replace that build, or quietly build
// for Node's ABI on this machine: see /work/shared/ENVIRONMENT.md).
//
// Needs internet once: node-gyp downloads Electron's headers from https://electronjs.org/headers.
// Offline it fails with a clear message; nothing under node_modules is touched either way.
// Used by `npm start`, `npm run dev` and `npm run package`; never by `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const electronPackage = JSON.parse(
  fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
);
const sqlitePackageDir = path.dirname(
  require.resolve('better-sqlite3/package.json', { paths: [root] }),
);
const sqliteVersion = JSON.parse(
  fs.readFileSync(path.join(sqlitePackageDir, 'package.json'), 'utf8'),
).version;
const electronVersion = electronPackage.version;
const arch = process.env.npm_config_arch || process.arch;

const outDir = path.join(root, 'out', 'native', 'electron');
const target = path.join(outDir, 'better_sqlite3.node');
const stampFile = path.join(outDir, 'build-stamp.json');
const stamp = {
  electron: electronVersion,
  betterSqlite3: sqliteVersion,
  arch,
  platform: process.platform,
};

function fail(message) {
  process.stderr.write(`\nelectron-sqlite: ${message}\n\n`);
  process.exit(1);
}

if (
  fs.existsSync(target) &&
  fs.existsSync(stampFile) &&
  fs.readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)
) {
  process.stdout.write(
    `electron-sqlite: ${path.relative(root, target)} is up to date (better-sqlite3 ${sqliteVersion}, Electron ${electronVersion}, ${arch})\n`,
  );
  process.exit(0);
}

const nodeGyp = (() => {
  try {
    return require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
  } catch {
    const npmGyp = path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    );
    return fs.existsSync(npmGyp) ? npmGyp : undefined;
  }
})();
if (!nodeGyp)
  fail(
    'node-gyp was not found (it ships with npm); install it with "npm install -g node-gyp" and retry.',
  );

// A scratch copy of the package: node-gyp writes build/ next to binding.gyp.
const work = path.join(root, 'out', 'native', 'build', `better-sqlite3-${sqliteVersion}`);
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });
for (const entry of ['package.json', 'binding.gyp', 'src', 'deps']) {
  fs.cpSync(path.join(sqlitePackageDir, entry), path.join(work, entry), { recursive: true });
}

const env = { ...process.env };
// The machine's npm config sets `nodedir` (/usr/include/node): under `npm run`, node-gyp would
// read it from npm_config_nodedir and build against Node's headers instead of Electron's.
for (const key of Object.keys(env))
  if (/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(key)) delete env[key];

process.stdout.write(
  `electron-sqlite: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${arch}); this takes a minute or two…\n`,
);
const result = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    `--arch=${arch}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
    `--devdir=${path.join(root, 'out', 'native', 'headers')}`,
  ],
  { cwd: work, env, stdio: 'inherit' },
);
if (result.status !== 0) {
  fail(
    `could not build better-sqlite3 for Electron ${electronVersion} (node-gyp exited with ${result.status ?? result.signal}).\n` +
      "The usual cause is no internet: node-gyp must download Electron's headers from https://electronjs.org/headers once.\n" +
      'Without this build the desktop app cannot open its database; the CLI, `fleetdeck serve` and `npm test` do not need it.',
  );
}
const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
if (!fs.existsSync(built)) fail(`node-gyp finished but ${built} is missing`);

// A module built for Electron refuses to load in Node with a NODE_MODULE_VERSION mismatch; one
// that loads here was built for Node by mistake (wrong headers).
try {
  process.dlopen({ exports: {} }, built);
  fail(
    `the result loads in Node ${process.version}, so it was built against Node's headers, not Electron's; check npm's nodedir setting`,
  );
} catch (error) {
  if (!/NODE_MODULE_VERSION/.test(String(error)))
    fail(`unexpected error checking the build: ${error}`);
}

fs.mkdirSync(outDir, { recursive: true });
fs.copyFileSync(built, target);
fs.writeFileSync(stampFile, JSON.stringify(stamp));
fs.rmSync(work, { recursive: true, force: true });
process.stdout.write(`electron-sqlite: wrote ${path.relative(root, target)}\n`);
