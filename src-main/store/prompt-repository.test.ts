import { describe, expect, it } from 'vitest';
import { BUILTIN_VARIANTS } from '../../src-shared/prompts';
import { openDatabaseFile } from './database';
import { PromptRepository } from './prompt-repository';

function repository(): { repo: PromptRepository; db: ReturnType<typeof openDatabaseFile> } {
  const db = openDatabaseFile(':memory:');
  return { db, repo: new PromptRepository(db, () => new Date('2025-08-01T10:00:00Z')) };
}

describe('PromptRepository', () => {
  it('writes a new component version only when the text changes', () => {
    const { repo } = repository();
    expect(
      repo.syncComponents('football-score', [
        { key: 'base', text: 'v1' },
        { key: 'rules', text: 'r' },
      ]),
    ).toEqual([
      { component: 'base', version: 1, changed: true },
      { component: 'rules', version: 1, changed: true },
    ]);
    expect(
      repo.syncComponents('football-score', [
        { key: 'base', text: 'v2' },
        { key: 'rules', text: 'r' },
      ]),
    ).toEqual([
      { component: 'base', version: 2, changed: true },
      { component: 'rules', version: 1, changed: false },
    ]);
    expect(
      repo.componentHistory('football-score', 'base').map((entry) => [entry.version, entry.text]),
    ).toEqual([
      [1, 'v1'],
      [2, 'v2'],
    ]);
    expect(repo.componentVersionOf('football-score', 'base', 'v1')).toBe(1);
    expect(repo.componentVersionOf('football-score', 'base', 'never recorded')).toBeUndefined();
  });

  it('refuses to update or delete a recorded version', () => {
    const { repo, db } = repository();
    repo.syncComponents('football-score', [{ key: 'base', text: 'v1' }]);
    repo.saveVariant('TERSE', 'Be brief.', 'first try');
    expect(() => db.prepare("UPDATE prompt_component_versions SET text = 'x'").run()).toThrow(
      /immutable/,
    );
    expect(() => db.prepare('DELETE FROM prompt_component_versions').run()).toThrow(
      /never deleted/,
    );
    expect(() => db.prepare("UPDATE prompt_variant_versions SET text = 'x'").run()).toThrow(
      /immutable/,
    );
    expect(() => db.prepare('DELETE FROM prompt_variant_versions').run()).toThrow(/never deleted/);
  });

  it('versions operator-defined variants and lists the latest of each', () => {
    const { repo } = repository();
    expect(repo.saveVariant('TERSE', 'Be brief.', 'first')).toBe(1);
    expect(repo.saveVariant('TERSE', 'Be brief.', 'same text')).toBe(1);
    expect(repo.saveVariant('TERSE', 'Be very brief.', 'second')).toBe(2);
    expect(repo.listCustomVariants()).toEqual([
      {
        name: 'TERSE',
        version: 2,
        text: 'Be very brief.',
        builtin: false,
        note: 'second',
        createdAt: '2025-08-01T10:00:00.000Z',
      },
    ]);
    expect(repo.getVariant('TERSE', 1)?.text).toBe('Be brief.');
  });

  it('refuses an invalid variant name', () => {
    const { repo } = repository();
    expect(() => repo.saveVariant('lower case', 'x', 'n')).toThrow(/variant name "lower case"/);
  });

  it('lets an operator edit a built-in variant, and keeps that edit over the shipped text', () => {
    const { repo } = repository();
    repo.syncBuiltinVariants(BUILTIN_VARIANTS);
    expect(repo.saveVariant('JSON_STRICT', 'Only JSON.', 'shorter')).toBe(2);
    repo.syncBuiltinVariants(BUILTIN_VARIANTS);
    repo.syncBuiltinVariants([{ name: 'JSON_STRICT', version: 1, text: 'a new shipped text' }]);
    expect(repo.latestVariant('JSON_STRICT')).toMatchObject({ version: 2, text: 'Only JSON.', builtin: false });
    expect(repo.latestVariants().map((entry) => [entry.name, entry.version])).toEqual([
      ['BASE', 1],
      ['ENGLISH_ONLY', 1],
      ['JSON_STRICT', 2],
      ['THINKING_STRIPPED', 1],
    ]);
    expect(repo.listCustomVariants()).toEqual([]);
  });

  it('follows a changed shipped text while no operator has edited the variant', () => {
    const { repo } = repository();
    repo.syncBuiltinVariants(BUILTIN_VARIANTS);
    repo.syncBuiltinVariants([{ name: 'JSON_STRICT', version: 1, text: 'a new shipped text' }]);
    expect(repo.latestVariant('JSON_STRICT')).toMatchObject({ version: 2, text: 'a new shipped text', builtin: true });
  });

  it('records built-in variants once and again only when their text changes', () => {
    const { repo } = repository();
    repo.syncBuiltinVariants(BUILTIN_VARIANTS);
    repo.syncBuiltinVariants(BUILTIN_VARIANTS);
    expect(repo.variantHistory('JSON_STRICT').map((entry) => entry.version)).toEqual([1]);
    expect(repo.listCustomVariants()).toEqual([]);
  });
});
