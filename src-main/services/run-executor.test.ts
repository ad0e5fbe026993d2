import { describe, expect, it } from 'vitest';
import { dispatch } from './run-executor';

/** A controllable task: resolves when the test says so. */
function gate() {
  let open = (): void => {};
  const done = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { done, open };
}

describe('dispatch', () => {
  it('refuses a concurrency below 1 or not a number, instead of never starting an item', () => {
    for (const concurrency of [Number.NaN, 0, -2]) {
      expect(() => dispatch([1, 2], concurrency, () => 'p', () => true, async (item) => item)).toThrow(/concurrency must be at least 1/);
    }
  });

  it('keeps at most `concurrency` items in flight and results in plan order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await dispatch(
      Array.from({ length: 20 }, (_, index) => index),
      4,
      () => 'p',
      () => true,
      async (item) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return item * 2;
      },
    );
    expect(peak).toBe(4);
    expect(results).toEqual(Array.from({ length: 20 }, (_, index) => index * 2));
  });

  it('starts no item after one threw: the run fails, and only the items already in flight end', async () => {
    const started: number[] = [];
    let ended = 0;
    const run = dispatch(
      Array.from({ length: 20 }, (_, index) => index),
      4,
      () => 'p',
      () => true,
      async (item) => {
        started.push(item);
        await new Promise((resolve) => setTimeout(resolve, item === 1 ? 5 : 20));
        if (item === 1) throw new Error('item 1 broke');
        ended++;
        return item;
      },
    );
    await expect(run).rejects.toThrow('item 1 broke');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(started).toEqual([0, 1, 2, 3]);
    expect(ended).toBe(3);
  });

  it('does not let a full provider hold run slots while another provider has room', async () => {
    const items = ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'];
    const gates = new Map(items.map((item) => [item, gate()]));
    const started: string[] = [];
    const run = dispatch(
      items,
      3,
      (item) => item[0]!,
      (provider, inFlight) => inFlight < (provider === 'a' ? 1 : 3),
      async (item) => {
        started.push(item);
        await gates.get(item)!.done;
        return item;
      },
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Provider a takes one call at a time: the other two slots go to b, not to waiting a items.
    expect(started).toEqual(['a1', 'b1', 'b2']);
    gates.get('a1')!.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(['a1', 'b1', 'b2', 'a2']);
    for (const entry of gates.values()) entry.open();
    expect(await run).toEqual(items);
  });

  it('starts the earliest item even when its provider reports no room, so a run never stalls', async () => {
    expect(await dispatch([1, 2], 2, () => 'p', () => false, async (item) => item)).toEqual([1, 2]);
  });
});
