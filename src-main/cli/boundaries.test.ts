import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test-support/cli';

/**
 * The three zones are enforced twice: each compiles with its own lib/types (tsc), and Biome's
 * noRestrictedImports keeps import arrows pointing the right way. These tests feed hostile code
 * to both, exactly as `npm test` runs them, and expect a failure.
 */
// Inside the repository (git-ignored .tmp/) so the probes resolve node_modules like real code.
fs.mkdirSync(path.join(REPO_ROOT, '.tmp'), { recursive: true });
const temp = { dir: fs.mkdtempSync(path.join(REPO_ROOT, '.tmp', 'boundaries-')) };
afterAll(() => fs.rmSync(temp.dir, { recursive: true, force: true }));

/** Lints `source` as if it were `asFile` in the repository, with the repository's biome.json. */
function lint(asFile: string, source: string): { code: number | null; output: string } {
  const root = fs.mkdtempSync(path.join(temp.dir, 'lint-'));
  const config = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'biome.json'), 'utf8'));
  delete config.$schema;
  config.vcs = { enabled: false };
  fs.writeFileSync(path.join(root, 'biome.json'), JSON.stringify(config));
  fs.mkdirSync(path.join(root, path.dirname(asFile)), { recursive: true });
  fs.writeFileSync(path.join(root, asFile), source);
  const result = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'lint', asFile],
    { cwd: root, encoding: 'utf8' },
  );
  return { code: result.status, output: result.stdout + result.stderr };
}

function typecheck(zone: 'src-shared' | 'src-main' | 'src-renderer', source: string): { code: number | null; output: string } {
  const file = path.join(temp.dir, `${zone}-probe-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(file, source);
  const config = path.join(temp.dir, `tsconfig.${path.basename(file)}.json`);
  fs.writeFileSync(config, JSON.stringify({ extends: path.join(REPO_ROOT, zone, 'tsconfig.json'), include: [file], exclude: [] }));
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config, '--noEmit'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('zone boundaries', () => {
  it('lint refuses a Node import in src-shared', () => {
    const result = lint('src-shared/domain/probe.ts', "import fs from 'node:fs';\nexport const read = fs.readFileSync;\n");
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('src-shared is pure TypeScript: no Node modules');
  });

  it('lint refuses a src-renderer import from src-main', () => {
    const result = lint('src-renderer/pages/probe.ts', "import { openDatabase } from '../../src-main/store';\nexport const open = openDatabase;\n");
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('src-renderer never imports src-main');
  });

  it('lint refuses electron in the engine and src-main in src-shared', () => {
    expect(lint('src-main/engine/probe.ts', "import { app } from 'electron';\nexport const a = app;\n").output).toContain(
      'Only src-main/app and src-main/ipc adapters import electron',
    );
    expect(lint('src-shared/parsing/probe.ts', "import { main } from '../../src-main/cli/main';\nexport const m = main;\n").output).toContain(
      'src-shared imports neither src-main nor src-renderer',
    );
  });

  it('lint accepts a clean shared module', () => {
    expect(lint('src-shared/domain/probe.ts', "import { z } from 'zod';\nexport const id = z.string();\n").code).toBe(0);
  });

  it('src-shared does not compile with window, process or a Node module', () => {
    expect(typecheck('src-shared', 'export const href = window.location.href;\n').output).toMatch(/Cannot find name 'window'/);
    expect(typecheck('src-shared', 'export const env = process.env;\n').output).toMatch(/Cannot find name 'process'/);
    expect(typecheck('src-shared', "import fs from 'node:fs';\nexport const read = fs.readFileSync;\n").code).not.toBe(0);
    expect(typecheck('src-shared', 'export const sum = [1, 2].reduce((a, b) => a + b, 0);\n').code).toBe(0);
  });

  it('src-main has Node but no DOM, src-renderer has DOM but no Node', () => {
    expect(typecheck('src-main', 'export const title = document.title;\n').output).toMatch(/Cannot find name 'document'/);
    expect(typecheck('src-main', 'export const env = process.env.HOME;\n').code).toBe(0);
    expect(typecheck('src-renderer', 'export const env = process.env.HOME;\n').output).toMatch(/Cannot find name 'process'/);
    expect(typecheck('src-renderer', 'export const title = document.title;\n').code).toBe(0);
  });
});
