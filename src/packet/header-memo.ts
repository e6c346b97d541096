// Remembers headers src/wire emitted for a given set of field values, so that building many packets
// with the same addresses does not parse the same address strings again (text -> bytes is most of
// the cost of an Ethernet or IP header). The bytes always come from src/wire's emitters.
// Keys are four values looked up in nested maps: the caller's own strings keep their cached hashes,
// where a concatenated key would be hashed anew on every build.

type Level<T> = Map<unknown, T>;

export class HeaderMemo {
  #root: Level<Level<Level<Level<Uint8Array>>>> = new Map();
  #size = 0;

  constructor(readonly limit = 512) {}

  /** The header for (a, b, c, d), emitted by `emit` into a fresh buffer of `length` bytes on first use. */
  get(
    a: unknown,
    b: unknown,
    c: unknown,
    d: unknown,
    length: number,
    emit: (buf: Uint8Array) => void,
  ): Uint8Array {
    const l1 = child(this.#root, a);
    const l2 = child(l1, b);
    const l3 = child(l2, c);
    let bytes = l3.get(d);
    if (bytes === undefined) {
      bytes = new Uint8Array(length);
      emit(bytes);
      if (++this.#size > this.limit) {
        this.#root = new Map();
        this.#size = 0;
      } else l3.set(d, bytes);
    }
    return bytes;
  }
}

function child<T>(level: Level<Level<T>>, key: unknown): Level<T> {
  let next = level.get(key);
  if (next === undefined) {
    next = new Map();
    level.set(key, next);
  }
  return next;
}
