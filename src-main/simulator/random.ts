/**
 * Cheap seeded randomness for the hot path: FNV-1a for hashing request content and mulberry32 for
 * the draws. Not cryptographic; chosen because both are a few integer operations per call.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function hashString(text: string, hash: number = FNV_OFFSET): number {
  let value = hash >>> 0;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, FNV_PRIME);
  }
  return value >>> 0;
}

/** A 32-bit seed from the operator's `--seed` (a number or any string). */
export function seedToInt(seed: number | string | undefined): number {
  if (seed === undefined) return 1;
  if (typeof seed === 'number' && Number.isInteger(seed)) return seed >>> 0;
  return hashString(String(seed));
}

/** Combines two 32-bit values into one well-spread 32-bit value (murmur3 finaliser). */
export function mix(a: number, b: number): number {
  let value = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  value ^= value >>> 16;
  value = Math.imul(value, 0x85ebca6b);
  value ^= value >>> 13;
  value = Math.imul(value, 0xc2b2ae35);
  value ^= value >>> 16;
  return value >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let value = this.state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Roughly normal with mean 0 and standard deviation 1 (Irwin-Hall, 4 draws). */
  normal(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * 1.7320508;
  }

  /** `mean` plus or minus up to `spread`, never below `floor`. */
  around(mean: number, spread: number, floor = 0): number {
    if (spread === 0) return Math.max(floor, mean);
    return Math.max(floor, mean + (this.next() * 2 - 1) * spread);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}
