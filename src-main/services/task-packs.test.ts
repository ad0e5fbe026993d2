import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTaskPack, listTaskPacks, taskPacksDir } from './task-packs';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-tasks-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

function copyPack(id: string, edit: (task: Record<string, unknown>) => void): string {
  const dir = path.join(temp, id);
  fs.cpSync(path.join(taskPacksDir(), 'football-score'), dir, { recursive: true });
  const taskPath = path.join(dir, 'task.json');
  const task = JSON.parse(fs.readFileSync(taskPath, 'utf8'));
  task.id = id;
  edit(task);
  fs.writeFileSync(taskPath, JSON.stringify(task));
  return dir;
}

describe('task packs', () => {
  it('ships football-score and football-batch with at least 40 fixtures each', () => {
    expect(listTaskPacks()).toEqual(['football-batch', 'football-score']);
    const score = loadTaskPack('football-score');
    const batch = loadTaskPack('football-batch');
    expect(score.fixtures.length).toBeGreaterThanOrEqual(40);
    expect(batch.fixtures.length).toBeGreaterThanOrEqual(40);
    expect(score.components.map((component) => component.key)).toEqual([
      'base',
      'rules',
      'output-format',
    ]);
    expect(batch.output).toMatchObject({ shape: 'array', idField: 'matchId' });
  });

  it('names the file and the field of a bad task.json', () => {
    copyPack('bad-range', (task) => {
      (task.output as { fields: { max?: number }[] }).fields[0]!.max =
        'twenty' as unknown as number;
    });
    expect(() => loadTaskPack('bad-range', temp)).toThrow(
      `${path.join(temp, 'bad-range', 'task.json')} output.fields[0].max: Invalid input: expected number, received string`,
    );
  });

  it('names a missing component file and an unknown template placeholder', () => {
    const dir = copyPack('bad-files', (task) => {
      (task.components as Record<string, string>).rules = 'components/missing.md';
    });
    fs.writeFileSync(path.join(dir, 'components', 'user.md'), '{{matches}} at {{venue}}');
    expect(() => loadTaskPack('bad-files', temp)).toThrow(
      /components\.rules: cannot read "components\/missing\.md"/,
    );
    fs.writeFileSync(
      path.join(dir, 'task.json'),
      fs
        .readFileSync(path.join(dir, 'task.json'), 'utf8')
        .replace('components/missing.md', 'components/rules.md'),
    );
    expect(() => loadTaskPack('bad-files', temp)).toThrow('unknown placeholder {{venue}}');
  });

  it('names a duplicate fixture id', () => {
    const dir = copyPack('dup-fixtures', () => {});
    const fixtures = JSON.parse(fs.readFileSync(path.join(dir, 'fixtures.json'), 'utf8'));
    fixtures[1].id = fixtures[0].id;
    fs.writeFileSync(path.join(dir, 'fixtures.json'), JSON.stringify(fixtures));
    expect(() => loadTaskPack('dup-fixtures', temp)).toThrow(
      `${path.join(dir, 'fixtures.json')} [1].id: duplicate fixture id "epl-001"`,
    );
  });

  it('refuses an unknown task id', () => {
    expect(() => loadTaskPack('tennis')).toThrow(/unknown task "tennis"/);
  });
});
