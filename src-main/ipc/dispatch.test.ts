import { describe, expect, it, vi } from 'vitest';
import { VALID_INPUTS } from '../../test-support/ipc-samples';
import { InputError, NotFoundError } from '../../src-shared/errors';
import { CHANNELS, type Channel, contract } from '../../src-shared/ipc';
import { dispatch, type Sender } from './dispatch';
import type { HandlerDeps, HandlerTable } from './types';

const trusted: Sender = { url: 'file:///app/index.html', trusted: () => true };
const deps = {} as HandlerDeps;
const HUGE = 'x'.repeat(25_000_000);

/** A table whose every handler records its calls and answers a placeholder. */
function spyTable() {
  const calls: Channel[] = [];
  const table = Object.fromEntries(
    CHANNELS.map((channel) => [
      channel,
      vi.fn(async () => {
        calls.push(channel);
        return { spied: true };
      }),
    ]),
  ) as unknown as HandlerTable;
  return { table, calls };
}

/** Hostile versions of a valid input: wrong shapes, extra and prototype-polluting keys, huge values. */
function hostileInputs(channel: Channel): { name: string; input: unknown }[] {
  const valid = VALID_INPUTS[channel] as Record<string, unknown>;
  const out: { name: string; input: unknown }[] = [
    { name: 'null', input: null },
    { name: 'undefined', input: undefined },
    { name: 'number', input: 42 },
    { name: 'string', input: 'fleet' },
    { name: 'array', input: [valid] },
    { name: 'extra field', input: { ...valid, extra: 1 } },
    {
      name: '__proto__ key',
      input: JSON.parse(
        `{"__proto__": {"polluted": true}${Object.keys(valid).length ? ',' : ''}${JSON.stringify(valid).slice(1)}`,
      ),
    },
    {
      name: 'constructor key',
      input: { ...valid, constructor: { prototype: { polluted: true } } },
    },
    { name: 'huge extra key', input: { ...valid, [HUGE.slice(0, 100_000)]: 1 } },
  ];
  for (const key of Object.keys(valid)) {
    out.push({ name: `${key}: nested arrays`, input: { ...valid, [key]: [[[]]] } });
    out.push({ name: `${key}: object`, input: { ...valid, [key]: { toString: 'x' } } });
    out.push({ name: `${key}: huge string`, input: { ...valid, [key]: HUGE } });
    if (typeof valid[key] === 'number')
      out.push({ name: `${key}: NaN-ish`, input: { ...valid, [key]: 1.5e308 * 10 } });
    if (typeof valid[key] === 'object' && valid[key] !== null && !Array.isArray(valid[key])) {
      for (const inner of Object.keys(valid[key] as object)) {
        out.push({
          name: `${key}.${inner}: nested arrays`,
          input: { ...valid, [key]: { ...(valid[key] as object), [inner]: [[[]]] } },
        });
      }
      out.push({
        name: `${key}: extra inner field`,
        input: { ...valid, [key]: { ...(valid[key] as object), extra: true } },
      });
    }
  }
  return out;
}

describe('dispatch', () => {
  it('has a valid sample input for every channel, and runs the handler with the parsed input', async () => {
    const { table, calls } = spyTable();
    for (const channel of CHANNELS) {
      const result = await dispatch(table, channel, VALID_INPUTS[channel], deps, trusted, {
        checkOutput: false,
      });
      expect(result, channel).toEqual({ ok: true, value: { spied: true } });
    }
    expect(calls).toEqual(CHANNELS);
  });

  it.each(CHANNELS)(
    'refuses malformed input for %s without running its handler',
    async (channel) => {
      const { table, calls } = spyTable();
      for (const { name, input } of hostileInputs(channel)) {
        const result = await dispatch(table, channel, input, deps, trusted);
        expect(result.ok, `${channel} accepted ${name}`).toBe(false);
        if (result.ok) continue;
        expect(result.error.code, name).toBe('invalid_input');
        expect(result.error.problems.length, name).toBeGreaterThan(0);
        for (const problem of result.error.problems) expect(problem, name).toMatch(/^[^:]+: .+/);
      }
      expect(calls).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it.each(CHANNELS)(
    'refuses an untrusted sender on %s before parsing or running anything',
    async (channel) => {
      const { table, calls } = spyTable();
      const sender: Sender = {
        url: 'https://evil.example/',
        trusted: (url) => url === 'file:///app/index.html',
      };
      const result = await dispatch(table, channel, VALID_INPUTS[channel], deps, sender);
      expect(result).toEqual({
        ok: false,
        error: {
          code: 'unauthorized',
          message: 'this caller is not the Fleetdeck console',
          problems: [],
        },
      });
      expect(calls).toEqual([]);
    },
  );

  it('refuses unknown channels, inherited property names included', async () => {
    const { table, calls } = spyTable();
    for (const channel of ['nope', '__proto__', 'constructor', 'toString', 'fleet.status ']) {
      const result = await dispatch(table, channel, {}, deps, trusted);
      expect(result.ok ? 'ok' : result.error.code, channel).toBe('not_found');
    }
    expect(calls).toEqual([]);
  });

  it('reports the zod problems by path', async () => {
    const { table } = spyTable();
    const result = await dispatch(
      table,
      'runs.startCanary',
      { fixtures: 0, models: ['ok', 7] },
      deps,
      trusted,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toBe('invalid input for runs.startCanary');
    expect(result.error.problems).toEqual([
      expect.stringMatching(/^models\.1: /),
      expect.stringMatching(/^fixtures: /),
    ]);
  });

  it('maps InputError and NotFoundError to their codes and anything else to internal', async () => {
    const { table } = spyTable();
    const failing = { ...table } as Record<Channel, unknown>;
    failing['runs.get'] = async () => {
      throw new NotFoundError('no run x');
    };
    failing['runs.cancel'] = async () => {
      throw new InputError('run x is completed', ['runId: completed']);
    };
    failing['runs.list'] = async () => {
      throw new TypeError('boom');
    };
    const onInternalError = vi.fn();
    const options = { onInternalError };
    const t = failing as HandlerTable;
    expect(await dispatch(t, 'runs.get', { runId: 'x' }, deps, trusted, options)).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no run x', problems: [] },
    });
    expect(await dispatch(t, 'runs.cancel', { runId: 'x' }, deps, trusted, options)).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: 'run x is completed',
        problems: ['runId: completed'],
      },
    });
    expect(await dispatch(t, 'runs.list', {}, deps, trusted, options)).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom', problems: [] },
    });
    expect(onInternalError).toHaveBeenCalledTimes(1);
  });

  it('checks outputs against the contract when asked (tests and the e2e server)', async () => {
    const { table } = spyTable();
    const result = await dispatch(table, 'notifications.list', {}, deps, trusted, {
      checkOutput: true,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
    const fine = { ...table, 'notifications.list': async () => [] } as HandlerTable;
    expect(
      await dispatch(fine, 'notifications.list', {}, deps, trusted, { checkOutput: true }),
    ).toEqual({ ok: true, value: [] });
  });

  it('passes defaults from the schema to the handler', async () => {
    const seen: unknown[] = [];
    const table = {
      ...spyTable().table,
      'runs.list': async (input: unknown) => {
        seen.push(input);
        return [];
      },
    } as HandlerTable;
    await dispatch(table, 'runs.list', {}, deps, trusted);
    expect(seen).toEqual([{ limit: contract['runs.list'].input.parse({}).limit }]);
  });
});
