/**
 * Deterministic randomness for the town simulator. Two flavours:
 * - `Prng`: a sequential stream (sfc32), one per device, seeded from (seed, device id);
 * - `noise*`: stateless hashes of (seed, key, integer), for processes shared by several devices (weather,
 *   water demand), so that their value at a time never depends on who asked before.
 */

/** Math, bound once: global look-ups are slow in jest's sandbox, and tests simulate whole years. */
const M = Math;

/** 32-bit hash of a string (FNV-1a followed by a murmur3 finaliser). */
export function hashString(text: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = M.imul(h, 0x01000193);
  }
  return fmix(h);
}

/** murmur3's 32-bit finaliser: a good avalanche on one integer. */
export function fmix(h: number): number {
  h ^= h >>> 16;
  h = M.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = M.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two 32-bit values into one hash. */
export function mix(a: number, b: number): number {
  return fmix((M.imul(a ^ 0x9e3779b9, 0x27d4eb2d) + (b | 0)) | 0);
}

/** A uniform number in [0, 1) from a key hash and an integer (a day, an hour…). */
export function noiseUniform(key: number, n: number, salt = 0): number {
  return mix(mix(key, n), salt) / 4294967296;
}

/** A standard normal number from a key hash and an integer (Box–Muller on two hashes). */
export function noiseNormal(key: number, n: number, salt = 0): number {
  const u1 = noiseUniform(key, n, salt * 2 + 1) || 1e-12;
  const u2 = noiseUniform(key, n, salt * 2 + 2);
  return M.sqrt(-2 * M.log(u1)) * M.cos(2 * M.PI * u2);
}

/**
 * Smooth noise of unit standard deviation: normal values at integer knots, joined by a cosine interpolation.
 * `x` is in knot units (e.g. days); the value is a pure function of (key, x).
 */
export function smoothNoise(key: number, x: number, salt = 0): number {
  const i = M.floor(x);
  const f = x - i;
  const w = (1 - M.cos(M.PI * f)) / 2;
  const a = noiseNormal(key, i, salt);
  const b = noiseNormal(key, i + 1, salt);
  // interpolation shrinks the variance between knots; rescale to keep it at 1
  return (a * (1 - w) + b * w) / M.sqrt((1 - w) * (1 - w) + w * w);
}

/** A sequential generator (sfc32): fast, 128-bit state, good statistical quality. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare: number | undefined;

  constructor(seed: number, stream: string) {
    this.a = hashString(stream, seed);
    this.b = mix(seed >>> 0, 0x6a09e667);
    this.c = hashString(stream, seed ^ 0x5bd1e995);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Standard normal (Marsaglia polar method). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = M.sqrt((-2 * M.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }
}

/** 16 lowercase hex digits, a stable function of the text (for DevEUIs). */
export function hex64(text: string): string {
  const hi = hashString(text, 0x51ed270b);
  const lo = hashString(text, 0x2545f491);
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}
