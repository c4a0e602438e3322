/**
 * ethtool bitsets (Documentation/networking/ethtool-netlink.rst, "Bit sets"), both forms:
 *
 *   compact:  NOMASK? SIZE VALUE(u32 words) MASK(u32 words)?
 *   verbose:  NOMASK? SIZE? BITS { BIT { INDEX? NAME? VALUE(flag)? } ... }
 *
 * Without NOMASK a bitset is a value/mask pair: the mask says which bits it speaks about (in
 * a request: which to change; in a reply: which exist) and the value which of those are set.
 * With NOMASK it is a plain list: the bits given are set, all others clear. The kernel answers
 * verbose (with bit names) unless the request header asks for ETHTOOL_FLAG_COMPACT_BITSETS;
 * compact answers are named with the string set the bitset refers to (see catalog.ts).
 *
 * Words are u32 in host byte order, least significant bit first: bit i is word i/32, bit i%32.
 */
import { forEachAttr, readString, viewOf, NetlinkFormatError, Writer } from './tlv';

/** enum ETHTOOL_A_BITSET_*, ETHTOOL_A_BITSET_BITS_*, ETHTOOL_A_BITSET_BIT_* */
export const BITSET_A = { NOMASK: 1, SIZE: 2, BITS: 3, VALUE: 4, MASK: 5 } as const;
export const BITSET_BITS_A = { BIT: 1 } as const;
export const BITSET_BIT_A = { INDEX: 1, NAME: 2, VALUE: 3 } as const;

function words(size: number): number {
  return Math.ceil(size / 32);
}

export class Bitset {
  /** Bit values, `words(size)` u32 words. */
  value: Uint32Array;
  /** The mask of a value/mask pair; null for a list (NOMASK). */
  mask: Uint32Array | null;
  /** Bit names as the kernel gave them in a verbose bitset (index → name). */
  names: Map<number, string> | null = null;

  constructor(public size: number, opts: { list?: boolean } = {}) {
    this.value = new Uint32Array(words(size));
    this.mask = opts.list ? null : new Uint32Array(words(size));
  }

  /** A list bitset (NOMASK) with the given bits set. */
  static list(size: number, set: Iterable<number>): Bitset {
    const b = new Bitset(size, { list: true });
    for (const i of set) b.set(i, true);
    return b;
  }

  /** A value/mask bitset from { index: value }: each bit given is in the mask. */
  static change(size: number, bits: Iterable<readonly [number, boolean]>): Bitset {
    const b = new Bitset(size);
    for (const [i, v] of bits) b.set(i, v);
    return b;
  }

  get isList(): boolean { return this.mask === null; }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.size) throw new RangeError(`bit ${i} is outside a bitset of ${this.size} bits`);
  }

  /** Is bit `i` set? */
  test(i: number): boolean {
    if (i < 0 || i >= this.size) return false;
    return ((this.value[i >>> 5] >>> (i & 31)) & 1) === 1;
  }

  /** Is bit `i` in the mask (always true for a list's bits in range)? */
  inMask(i: number): boolean {
    if (i < 0 || i >= this.size) return false;
    return this.mask === null || ((this.mask[i >>> 5] >>> (i & 31)) & 1) === 1;
  }

  /** Set bit `i` to `v`; for a value/mask pair it also enters the mask. */
  set(i: number, v: boolean): this {
    this.check(i);
    const w = i >>> 5;
    const b = 1 << (i & 31);
    if (v) this.value[w] |= b;
    else this.value[w] &= ~b;
    if (this.mask) this.mask[w] |= b;
    return this;
  }

  /** Indices of the set bits. */
  indices(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.test(i)) out.push(i);
    return out;
  }

  /** Indices of the bits in the mask (for a list: every set bit). */
  maskIndices(): number[] {
    if (!this.mask) return this.indices();
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.inMask(i)) out.push(i);
    return out;
  }

  /** The name of bit `i`: from the verbose reply, else from `strings` (a string set), else null. */
  nameOf(i: number, strings?: readonly string[]): string | null {
    return this.names?.get(i) ?? strings?.[i] ?? null;
  }

  /**
   * The bits this bitset speaks of, by name: for a value/mask pair each masked bit with its
   * value, for a list each set bit (true). Unnamed bits appear as "#<index>".
   */
  named(strings?: readonly string[]): Record<string, boolean> {
    const out: Record<string, boolean> = {};
    for (const i of this.maskIndices()) out[this.nameOf(i, strings) ?? `#${i}`] = this.test(i);
    return out;
  }

  /** The names of the set bits. */
  setNames(strings?: readonly string[]): string[] {
    return this.indices().map(i => this.nameOf(i, strings) ?? `#${i}`);
  }
}

/** A bitset request in verbose form: bits by name or index, as ethtool sends user input. */
export interface VerboseBitset {
  verbose: ReadonlyArray<{ index?: number; name?: string; value?: boolean }>;
  /** A list: the bits given are set, every other bit cleared. */
  nomask?: boolean;
  size?: number;
}

export function isVerboseBitset(v: unknown): v is VerboseBitset {
  return typeof v === 'object' && v !== null && Array.isArray((v as VerboseBitset).verbose);
}

/** Write the body of a bitset nest (the caller opens and closes the nest). */
export function encodeBitset(w: Writer, b: Bitset | VerboseBitset): void {
  if (b instanceof Bitset) {
    if (b.isList) w.flag(BITSET_A.NOMASK);
    w.u32(BITSET_A.SIZE, b.size);
    w.bytes(BITSET_A.VALUE, wordBytes(b.value));
    if (b.mask) w.bytes(BITSET_A.MASK, wordBytes(b.mask));
    return;
  }
  if (b.nomask) w.flag(BITSET_A.NOMASK);
  if (b.size !== undefined) w.u32(BITSET_A.SIZE, b.size);
  const bits = w.nestStart(BITSET_A.BITS);
  for (const bit of b.verbose) {
    if (bit.index === undefined && bit.name === undefined) throw new TypeError('a verbose bitset bit needs an index or a name');
    const nest = w.nestStart(BITSET_BITS_A.BIT);
    if (bit.index !== undefined) w.u32(BITSET_BIT_A.INDEX, bit.index);
    if (bit.name !== undefined) w.string(BITSET_BIT_A.NAME, bit.name);
    if (bit.value && !b.nomask) w.flag(BITSET_BIT_A.VALUE);
    w.nestEnd(nest);
  }
  w.nestEnd(bits);
}

function wordBytes(words: Uint32Array): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const dv = new DataView(out.buffer);
  words.forEach((x, i) => dv.setUint32(i * 4, x, true));
  return out;
}

/** Decode the body of a bitset nest buf[start, end). Either form; unknown attributes skipped. */
export function decodeBitset(buf: Uint8Array, start: number, end: number, where = 'bitset'): Bitset {
  let nomask = false;
  let size = -1;
  let value: [number, number] | null = null;
  let mask: [number, number] | null = null;
  let bits: [number, number] | null = null;
  forEachAttr(buf, start, end, (type, at, stop) => {
    switch (type) {
      case BITSET_A.NOMASK: nomask = true; break;
      case BITSET_A.SIZE:
        if (stop - at < 4) throw new NetlinkFormatError(`SIZE has ${stop - at} bytes`, where, at);
        size = viewOf(buf).getUint32(at, true);
        break;
      case BITSET_A.VALUE: value = [at, stop]; break;
      case BITSET_A.MASK: mask = [at, stop]; break;
      case BITSET_A.BITS: bits = [at, stop]; break;
      default: break; // a newer kernel's attribute
    }
  }, where);

  if (bits) {
    const [bs, be] = bits as [number, number];
    const entries: Array<{ index: number; name: string | null; value: boolean }> = [];
    let maxIndex = -1;
    forEachAttr(buf, bs, be, (type, at, stop) => {
      if (type !== BITSET_BITS_A.BIT) return;
      let index = -1;
      let name: string | null = null;
      let v = false;
      forEachAttr(buf, at, stop, (t, a, s) => {
        if (t === BITSET_BIT_A.INDEX) {
          if (s - a < 4) throw new NetlinkFormatError(`BIT INDEX has ${s - a} bytes`, where, a);
          index = viewOf(buf).getUint32(a, true);
        } else if (t === BITSET_BIT_A.NAME) name = readString(buf, a, s);
        else if (t === BITSET_BIT_A.VALUE) v = true;
      }, `${where}.bits.bit`);
      if (index < 0) throw new NetlinkFormatError('a verbose bit without an index', where, at);
      entries.push({ index, name, value: v });
      if (index > maxIndex) maxIndex = index;
    }, `${where}.bits`);
    if (size < 0) size = maxIndex + 1;
    if (maxIndex >= size) throw new NetlinkFormatError(`bit ${maxIndex} is outside SIZE ${size}`, where, bs);
    const b = new Bitset(size, { list: nomask });
    b.names = new Map();
    for (const e of entries) {
      if (e.name !== null) b.names.set(e.index, e.name);
      if (nomask) b.set(e.index, true);
      else b.set(e.index, e.value); // listed: in the mask; VALUE flag: set
    }
    return b;
  }

  if (size < 0) throw new NetlinkFormatError('compact bitset without SIZE', where, start);
  const b = new Bitset(size, { list: nomask });
  const n = words(size);
  const fill = (dst: Uint32Array, span: [number, number] | null, what: string): void => {
    if (!span) return;
    const [a, s] = span;
    if (s - a < n * 4) throw new NetlinkFormatError(`${what} has ${s - a} bytes, SIZE ${size} needs ${n * 4}`, where, a);
    const dv = viewOf(buf);
    for (let i = 0; i < n; i++) dst[i] = dv.getUint32(a + 4 * i, true);
    // Bits past SIZE in the last word are not part of the set.
    if (size % 32) dst[n - 1] &= (2 ** (size % 32) - 1) >>> 0;
  };
  if (size > 0 && !value) throw new NetlinkFormatError('compact bitset without VALUE', where, start);
  fill(b.value, value, 'VALUE');
  if (b.mask) {
    if (size > 0 && !mask) throw new NetlinkFormatError('compact value/mask bitset without MASK', where, start);
    fill(b.mask, mask, 'MASK');
  }
  return b;
}
