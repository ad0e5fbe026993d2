/** mulberry32: a tiny deterministic PRNG, so a plan shown before a run is the plan that runs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a of a string, as an unsigned 31-bit seed (fits the contract's `z.int()`). */
export function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & 0x7fffffff;
}

/**
 * `count` distinct ids drawn with a seeded shuffle of the sorted input (so the order the ids came
 * in does not matter); the result is sorted. Fewer when there are fewer ids.
 */
export function seededSample(ids: readonly string[], count: number, seed: number): string[] {
  const pool = [...new Set(ids)].sort();
  const random = seededRandom(seed);
  for (let index = pool.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [pool[index], pool[other]] = [pool[other]!, pool[index]!];
  }
  return pool.slice(0, Math.max(0, count)).sort();
}
