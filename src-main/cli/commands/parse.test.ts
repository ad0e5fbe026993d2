import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-parse-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function parse(
  args: string[],
  input: string,
): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    path.join(root, 'bin', 'fleetdeck'),
    ['--data-dir', dataDir, 'parse', ...args],
    {
      input,
      encoding: 'utf8',
      cwd: root,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('fleetdeck parse', () => {
  it('prints the accepted value with its coercions and reasoning, exit 0', () => {
    const result = parse(
      ['--task', 'football-score'],
      '<think>Arsenal at home.</think>\n```json\n{"home_score": "2", "away_score": 1}\n```\n',
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      value: { homeScore: 2, awayScore: 1 },
      coercions: [
        'fence:stripped',
        'rename:home_score->homeScore',
        'number:homeScore',
        'rename:away_score->awayScore',
      ],
      reasoning: 'Arsenal at home.',
    });
  });

  it('prints the error class and message for a rejected reply, exit 1', () => {
    const result = parse(
      ['--task', 'football-score', '--handler', 'strict'],
      '{"homeScore": "2", "awayScore": 1}',
    );
    expect({ code: result.code, output: JSON.parse(result.stdout) }).toEqual({
      code: 1,
      output: {
        ok: false,
        error: {
          class: 'schema_error',
          message: 'homeScore: expected an integer from 0 to 20, got "2"',
        },
      },
    });
  });

  it('reads a batch reply with a custom list of steps', () => {
    const reply = '{"predictions": [{"match_id": "epl-001", "home": 2, "away": 0}]}';
    const result = parse(['--task', 'football-batch', '--handler', 'extract-json,coerce'], reply);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).value).toEqual([
      { matchId: 'epl-001', homeScore: 2, awayScore: 0 },
    ]);
  });

  it('matches a batch reply against the fixtures named by --fixtures, by id', () => {
    const partial = '[{"matchId": "epl-001", "homeScore": 2, "awayScore": 0}]';
    const missing = parse(['--task', 'football-batch', '--fixtures', 'epl-001,epl-002'], partial);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      ok: false,
      error: { class: 'schema_error', message: 'no answer for 1 of 2 matches: epl-002' },
    });
    const unknown = parse(['--task', 'football-batch', '--fixtures', 'epl-001,nope'], partial);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no fixture nope in task football-batch');
  });

  it('exits 2 naming an unknown task or a bad handler', () => {
    const unknownTask = parse(['--task', 'tennis'], '{}');
    expect(unknownTask.code).toBe(2);
    expect(unknownTask.stderr).toContain('unknown task "tennis"');
    const badHandler = parse(
      ['--task', 'football-score', '--handler', 'auto,fix-everything'],
      '{}',
    );
    expect(badHandler.code).toBe(2);
    expect(badHandler.stderr).toContain('--handler "auto,fix-everything"');
  });
});
