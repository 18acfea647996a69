/**
 * Seedable randomness. A {@link Generator} is mulberry32 (a 32-bit counter hashed with
 * integer multiplies) plus Box–Muller for normals, in plain integer arithmetic, so the same
 * seed gives the same numbers on every run, platform and backend.
 */
import { ValueError } from './errors.js';

/** A seeded source of uniform and normal random numbers. */
export class Generator {
  private state: number;
  private spareNormal: number | null = null;

  /** A generator whose stream is fully determined by `seed` (an integer, taken modulo 2³²). */
  constructor(seed = 0) {
    this.state = checkSeed('Generator', seed);
  }

  /** Restarts the stream from `seed` (an integer, taken modulo 2³²). */
  manualSeed(seed: number): this {
    this.state = checkSeed('manualSeed', seed);
    this.spareNormal = null;
    return this;
  }

  /** A uniform float in [0, 1) with 32 bits of randomness (mulberry32). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal sample (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high). */
  integer(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low));
  }
}

/** The 32-bit state of an integer seed; 1.5 or NaN would otherwise be truncated silently. */
function checkSeed(op: string, seed: number): number {
  if (!Number.isInteger(seed)) throw new ValueError(`${op}: seed must be an integer, got ${seed}`);
  return seed >>> 0;
}

let defaultGenerator = new Generator(0);

/** Reseeds the default generator used when no `generator` option is passed. */
export function manualSeed(seed: number): Generator {
  checkSeed('manualSeed', seed);
  defaultGenerator = new Generator(seed);
  return defaultGenerator;
}

/** The generator used when no `generator` option is passed. */
export function getDefaultGenerator(): Generator {
  return defaultGenerator;
}
