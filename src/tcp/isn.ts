// Initial sequence numbers, RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey)
// where M is a 4 microsecond timer and F a keyed hash. F here is SipHash-2-4 (Aumasson & Bernstein),
// written with 32-bit halves so it needs no BigInt; any other keyed hash can be injected.

export type IsnHash = (data: Uint8Array) => number;

/** `now` in ms; addresses as raw bytes (4 for IPv4, 16 for IPv6). */
export type IsnGenerator = (
  now: number,
  localAddr: Uint8Array,
  localPort: number,
  remoteAddr: Uint8Array,
  remotePort: number,
) => number;

/** An RFC 6528 generator keyed with a 16-byte secret (or using an injected keyed hash). */
export function createIsnGenerator(secretOrHash: Uint8Array | IsnHash): IsnGenerator {
  const hash: IsnHash =
    typeof secretOrHash === 'function'
      ? secretOrHash
      : (data) => {
          const [lo] = sipHash24(secretOrHash, data);
          return lo;
        };
  const scratch = new Uint8Array(36);
  return (now, localAddr, localPort, remoteAddr, remotePort) => {
    let n = 0;
    scratch.set(localAddr, n);
    n += localAddr.length;
    scratch[n++] = localPort >> 8;
    scratch[n++] = localPort & 0xff;
    scratch.set(remoteAddr, n);
    n += remoteAddr.length;
    scratch[n++] = remotePort >> 8;
    scratch[n++] = remotePort & 0xff;
    // M: the 4 us clock (RFC 6528 §3), 250 ticks per ms.
    const m = Math.floor(now * 250);
    return (hash(scratch.subarray(0, n)) + m) >>> 0;
  };
}

// ---- SipHash-2-4 on 32-bit halves ----

const v = new Uint32Array(8); // v0 hi/lo, v1 hi/lo, v2 hi/lo, v3 hi/lo as [hi, lo] pairs

function add(a: number, b: number): void {
  // v[a] += v[b] (64-bit) where a, b index the hi word
  const lo = v[a + 1] + v[b + 1];
  const carry = lo > 0xffffffff ? 1 : 0;
  v[a + 1] = lo >>> 0;
  v[a] = (v[a] + v[b] + carry) >>> 0;
}

function rotl(a: number, bits: number): void {
  const hi = v[a];
  const lo = v[a + 1];
  if (bits === 32) {
    v[a] = lo;
    v[a + 1] = hi;
  } else if (bits < 32) {
    v[a] = ((hi << bits) | (lo >>> (32 - bits))) >>> 0;
    v[a + 1] = ((lo << bits) | (hi >>> (32 - bits))) >>> 0;
  } else {
    const b = bits - 32;
    v[a] = ((lo << b) | (hi >>> (32 - b))) >>> 0;
    v[a + 1] = ((hi << b) | (lo >>> (32 - b))) >>> 0;
  }
}

function xor(a: number, b: number): void {
  v[a] ^= v[b];
  v[a + 1] ^= v[b + 1];
}

const V0 = 0;
const V1 = 2;
const V2 = 4;
const V3 = 6;

function sipRound(): void {
  add(V0, V1);
  rotl(V1, 13);
  xor(V1, V0);
  rotl(V0, 32);
  add(V2, V3);
  rotl(V3, 16);
  xor(V3, V2);
  add(V0, V3);
  rotl(V3, 21);
  xor(V3, V0);
  add(V2, V1);
  rotl(V1, 17);
  xor(V1, V2);
  rotl(V2, 32);
}

function le32(b: Uint8Array, i: number): number {
  return (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
}

/** SipHash-2-4 of `data` with a 16-byte key; returns the 64-bit result as [lo32, hi32]. */
export function sipHash24(key: Uint8Array, data: Uint8Array): [number, number] {
  if (key.length !== 16) throw new RangeError('SipHash key must be 16 bytes');
  const k0lo = le32(key, 0);
  const k0hi = le32(key, 4);
  const k1lo = le32(key, 8);
  const k1hi = le32(key, 12);
  // "somepseudorandomlygeneratedbytes"
  v[0] = (0x736f6d65 ^ k0hi) >>> 0;
  v[1] = (0x70736575 ^ k0lo) >>> 0;
  v[2] = (0x646f7261 ^ k1hi) >>> 0;
  v[3] = (0x6e646f6d ^ k1lo) >>> 0;
  v[4] = (0x6c796765 ^ k0hi) >>> 0;
  v[5] = (0x6e657261 ^ k0lo) >>> 0;
  v[6] = (0x74656462 ^ k1hi) >>> 0;
  v[7] = (0x79746573 ^ k1lo) >>> 0;
  const len = data.length;
  const full = len - (len % 8);
  for (let i = 0; i < full; i += 8) compress(le32(data, i + 4), le32(data, i));
  // Last block: remaining bytes plus the length in the top byte.
  const tail = new Uint8Array(8);
  tail.set(data.subarray(full));
  tail[7] = len & 0xff;
  compress(le32(tail, 4), le32(tail, 0));
  v[5] ^= 0xff; // v2 ^= 0xff
  for (let r = 0; r < 4; r++) sipRound();
  const lo = (v[1] ^ v[3] ^ v[5] ^ v[7]) >>> 0;
  const hi = (v[0] ^ v[2] ^ v[4] ^ v[6]) >>> 0;
  return [lo, hi];
}

function compress(mhi: number, mlo: number): void {
  v[6] ^= mhi;
  v[7] ^= mlo;
  sipRound();
  sipRound();
  v[0] ^= mhi;
  v[1] ^= mlo;
}
