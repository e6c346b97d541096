// The impairment configuration of a FaultInjector, and the parser for the CLI's `--impair` spec.
//
// Grammar (whitespace around items is ignored; keys are case-insensitive):
//   spec   := group (';' group)*          each group applies to its own direction(s)
//   group  := item (',' item)*
//   item   := key '=' value
//
//   key           value         meaning
//   loss          PROB          independent random loss
//   ge            PROB/PROB[/PROB[/PROB]]
//                               Gilbert-Elliott burst loss: p = P(good->bad), r = P(bad->good),
//                               loss in the bad state (default 100%), loss in the good state (0%).
//                               Mean burst length is 1/r frames. (alias: burst)
//   delay         TIME          fixed one-way delay
//   jitter        TIME          delay varies uniformly in [delay-jitter, delay+jitter]; jitter never
//                               reorders frames by itself (use reorder)
//   reorder       PROB          hold a frame back so later frames overtake it
//   reorder-gap   INT           how many later frames overtake a held frame (default 1)
//   reorder-hold  TIME          release a held frame after this long anyway (default 100ms)
//   dup           PROB          send a frame twice (alias: duplicate)
//   corrupt       PROB          flip one random bit of the frame
//   rate          RATE          token-bucket rate limit; excess frames wait in a queue
//   rate-burst    SIZE          bucket depth (default: the larger of 3000 bytes and 5 ms at the rate)
//   rate-queue    TIME          longest wait in the rate queue before tail drop (default 100ms)
//   blackout      TIME@TIME     drop everything for DURATION@START (from when the injector starts);
//                               may be given several times
//   dir           in|out|both   direction of this group (default both); out = frames we transmit
//   seed          INT           PRNG seed (default 1); same seed and traffic -> same run
//
//   PROB: 5% or 0.05; TIME: 20ms, 2s, 500us, 1.5m (bare number = ms);
//   RATE: bits per second: 10mbit, 1.5gbit, 500kbit, 64000 (bit/kbit/mbit/gbit; bps/kbps/mbps/gbps
//         are accepted as BITS per second too); SIZE: bytes: 1500, 16k, 1m (k = 1024).
//
// Example: "loss=5%,delay=20ms,jitter=5ms,reorder=1%,dup=1%,corrupt=0.1%,rate=10mbit,
//           blackout=2s@5s,dir=in,seed=42" or "loss=1%,dir=out; delay=50ms,dir=in".

export interface GilbertElliott {
  /** P(good -> bad) per frame. */
  p: number;
  /** P(bad -> good) per frame. */
  r: number;
  /** Loss probability in the bad state. */
  lossBad: number;
  /** Loss probability in the good state. */
  lossGood: number;
}

export interface Blackout {
  /** Start in ms after the injector starts. */
  start: number;
  duration: number;
}

export interface DirectionImpairment {
  loss?: number;
  burst?: GilbertElliott;
  delay?: number;
  jitter?: number;
  reorder?: number;
  reorderGap?: number;
  reorderHold?: number;
  duplicate?: number;
  corrupt?: number;
  /** Bits per second. */
  rate?: number;
  rateBurst?: number;
  rateQueue?: number;
  blackouts?: Blackout[];
}

export interface ImpairmentConfig {
  in: DirectionImpairment;
  out: DirectionImpairment;
  seed: number;
}

export class ImpairSpecError extends Error {
  override readonly name = 'ImpairSpecError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const GRAMMAR_HINT =
  'write items like loss=5%,delay=20ms,jitter=5ms,reorder=1%,dup=1%,corrupt=0.1%,rate=10mbit,' +
  'blackout=2s@5s,dir=in|out|both,seed=42 (groups for different directions separated by ;)';

type Setter = (target: DirectionImpairment, value: string, item: string) => void;

const SETTERS: Record<string, Setter> = {
  loss: (t, v, i) => {
    t.loss = parseProbability(v, i);
  },
  ge: (t, v, i) => {
    t.burst = parseGilbertElliott(v, i);
  },
  delay: (t, v, i) => {
    t.delay = parseTime(v, i);
  },
  jitter: (t, v, i) => {
    t.jitter = parseTime(v, i);
  },
  reorder: (t, v, i) => {
    t.reorder = parseProbability(v, i);
  },
  'reorder-gap': (t, v, i) => {
    t.reorderGap = parsePositiveInt(v, i);
  },
  'reorder-hold': (t, v, i) => {
    t.reorderHold = parseTime(v, i);
  },
  dup: (t, v, i) => {
    t.duplicate = parseProbability(v, i);
  },
  corrupt: (t, v, i) => {
    t.corrupt = parseProbability(v, i);
  },
  rate: (t, v, i) => {
    t.rate = parseRate(v, i);
  },
  'rate-burst': (t, v, i) => {
    t.rateBurst = parseSize(v, i);
  },
  'rate-queue': (t, v, i) => {
    t.rateQueue = parseTime(v, i);
  },
  blackout: (t, v, i) => {
    t.blackouts = [...(t.blackouts ?? []), parseBlackout(v, i)];
  },
};
const ALIASES: Record<string, string> = { burst: 'ge', duplicate: 'dup' };

/** Parse an `--impair` spec. Throws ImpairSpecError with a hint on any mistake. */
export function parseImpairSpec(spec: string): ImpairmentConfig {
  const config: ImpairmentConfig = { in: {}, out: {}, seed: 1 };
  const groups = spec.split(';').filter((g) => g.trim() !== '');
  if (groups.length === 0) throw new ImpairSpecError('empty impairment spec', GRAMMAR_HINT);
  let seedSeen = false;
  for (const group of groups) {
    const { dir, seed, impairment } = parseGroup(group);
    if (seed !== undefined) {
      if (seedSeen) throw new ImpairSpecError('seed given twice', 'give seed=N once for the whole spec');
      seedSeen = true;
      config.seed = seed;
    }
    if (dir !== 'out') config.in = mergeDirection(config.in, impairment, 'in');
    if (dir !== 'in') config.out = mergeDirection(config.out, impairment, 'out');
  }
  return config;
}

function parseGroup(group: string): {
  dir: 'in' | 'out' | 'both';
  seed: number | undefined;
  impairment: DirectionImpairment;
} {
  const impairment: DirectionImpairment = {};
  const seen = new Set<string>();
  let dir: 'in' | 'out' | 'both' = 'both';
  let seed: number | undefined;
  for (const raw of group.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new ImpairSpecError(`impairment "${item}" is not key=value`, GRAMMAR_HINT);
    const rawKey = item.slice(0, eq).trim().toLowerCase();
    const key = ALIASES[rawKey] ?? rawKey;
    const value = item.slice(eq + 1).trim();
    if (seen.has(key) && key !== 'blackout') {
      throw new ImpairSpecError(`"${key}" given twice in one group`, 'give each key once per group');
    }
    seen.add(key);
    if (key === 'dir') dir = parseDirection(value, item);
    else if (key === 'seed') seed = parseSeed(value, item);
    else {
      const setter = SETTERS[key];
      if (setter === undefined) {
        throw new ImpairSpecError(
          `unknown impairment "${rawKey}"`,
          `known keys: ${[...Object.keys(SETTERS), 'dir', 'seed'].join(', ')}`,
        );
      }
      setter(impairment, value, item);
    }
  }
  return { dir, seed, impairment };
}

function mergeDirection(
  base: DirectionImpairment,
  add: DirectionImpairment,
  dir: string,
): DirectionImpairment {
  for (const key of Object.keys(add) as (keyof DirectionImpairment)[]) {
    if (key !== 'blackouts' && base[key] !== undefined) {
      throw new ImpairSpecError(
        `"${key}" set twice for direction ${dir}`,
        'each direction takes each key once; check the dir= of your groups',
      );
    }
  }
  const blackouts = [...(base.blackouts ?? []), ...(add.blackouts ?? [])];
  return { ...base, ...add, ...(blackouts.length > 0 ? { blackouts } : {}) };
}

function bad(item: string, expected: string): never {
  throw new ImpairSpecError(`bad impairment "${item}": expected ${expected}`, GRAMMAR_HINT);
}

const NUMBER = /^(\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i;

function splitNumber(value: string, item: string, expected: string): [number, string] {
  const match = NUMBER.exec(value);
  if (match === null) bad(item, expected);
  return [Number(match[0]), value.slice(match[0].length).trim().toLowerCase()];
}

export function parseProbability(value: string, item = value): number {
  const expected = 'a probability like 5% or 0.05';
  const [n, unit] = splitNumber(value, item, expected);
  let p: number;
  if (unit === '%') p = n / 100;
  else if (unit === '') p = n;
  else bad(item, expected);
  if (!(p >= 0 && p <= 1)) bad(item, `${expected} (between 0% and 100%)`);
  return p;
}

const TIME_UNITS: Record<string, number> = { us: 0.001, ms: 1, '': 1, s: 1000, m: 60_000 };

export function parseTime(value: string, item = value): number {
  const expected = 'a time like 20ms, 2s or 500us';
  const [n, unit] = splitNumber(value, item, expected);
  const scale = TIME_UNITS[unit];
  if (scale === undefined) bad(item, expected);
  return n * scale;
}

const RATE_UNITS: Record<string, number> = {
  '': 1,
  bit: 1,
  bps: 1,
  kbit: 1e3,
  kbps: 1e3,
  mbit: 1e6,
  mbps: 1e6,
  gbit: 1e9,
  gbps: 1e9,
};

export function parseRate(value: string, item = value): number {
  const expected = 'a rate in bits per second like 10mbit, 500kbit or 1gbit';
  const [n, unit] = splitNumber(value, item, expected);
  const scale = RATE_UNITS[unit];
  if (scale === undefined || n <= 0) bad(item, expected);
  return n * scale;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1 << 20, mb: 1 << 20 };

export function parseSize(value: string, item = value): number {
  const expected = 'a size in bytes like 1500, 16k or 1m';
  const [n, unit] = splitNumber(value, item, expected);
  const scale = SIZE_UNITS[unit];
  if (scale === undefined || n <= 0) bad(item, expected);
  return Math.round(n * scale);
}

function parseGilbertElliott(value: string, item: string): GilbertElliott {
  const parts = value.split('/');
  if (parts.length < 2 || parts.length > 4) {
    bad(item, 'ge=P/R[/LOSS_BAD[/LOSS_GOOD]] like ge=1%/25%');
  }
  const [p, r, lossBad = 1, lossGood = 0] = parts.map((part) => parseProbability(part, item));
  if (r === 0) bad(item, 'a bad->good probability r above 0 (otherwise the link never recovers)');
  return { p, r, lossBad, lossGood };
}

function parseBlackout(value: string, item: string): Blackout {
  const parts = value.split('@');
  if (parts.length !== 2) bad(item, 'blackout=DURATION@START like blackout=2s@5s');
  return { duration: parseTime(parts[0], item), start: parseTime(parts[1], item) };
}

function parsePositiveInt(value: string, item: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) bad(item, 'a whole number of frames >= 1');
  return n;
}

function parseSeed(value: string, item: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) bad(item, 'an integer seed 0..4294967295');
  return n;
}

function parseDirection(value: string, item: string): 'in' | 'out' | 'both' {
  const v = value.toLowerCase();
  if (v === 'in' || v === 'out' || v === 'both') return v;
  bad(item, 'dir=in, dir=out or dir=both');
}
