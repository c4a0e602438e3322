/**
 * Attribute tables declared as data, and the one codec that reads and writes any of them.
 *
 *   export const RINGS = defineAttrs('rings', 'ETHTOOL_A_RINGS_', [
 *     [1, 'header', HEADER],          // nested: another table
 *     [2, 'rx_max', 'u32'],
 *     ...
 *   ]);
 *   encodeAttrs(w, RINGS, { header: { dev_name: 'eth0' }, rx: 512 });
 *   decodeAttrs(RINGS, buf, start, end)  // → { header: {...}, rx_max: 4096, rx: 512, ... }
 *
 * Each entry is [id, name, type, options]. The name is the kernel's enum suffix in lower case
 * (ETHTOOL_A_RINGS_RX_MAX → rx_max); the C name is the prefix plus the name in upper case
 * unless options.c gives it (native/nlprobe.c prints every C name's value and
 * test/nl-layout.test.ts compares).
 *
 * Types:
 *   u8 u16 u32 u64 s8 s16 s32 s64 be16   numbers (u64/s64 as bigint)
 *   string                               NUL-terminated UTF-8
 *   flag                                 presence (true) / absence
 *   binary                               bytes (a copy)
 *   pad                                  64-bit alignment padding: skipped
 *   <table>                              nested attributes
 *   <table> with { array: true }         nested array: children numbered 1..n, each a <table>
 *   bitset                               an ethtool bitset (./bitset.ts); options.strset names its bits
 *   u64array s32array                    a binary attribute holding packed integers
 *   u64map                               a nest of u64 attributes keyed by id (stats groups):
 *                                        every occurrence merges into one { id: value }
 * With { multi: true } an attribute may repeat and decodes to an array.
 *
 * Decoding keeps attributes the table does not know (a newer kernel's) in `_unknown`, as
 * { id, data } in arrival order, and never fails on them; it fails, with a NetlinkFormatError
 * naming the path, only on bytes that cannot be what the table says (a u32 of 2 bytes, an
 * attribute running past its nest).
 */
import { Bitset, VerboseBitset, decodeBitset, encodeBitset, isVerboseBitset } from './bitset';
import { forEachAttr, readString, viewOf, NetlinkFormatError, Writer } from './tlv';

export type ScalarType = 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'be16';
export type AttrType = ScalarType | 'string' | 'flag' | 'binary' | 'pad' | 'nested' | 'array' | 'bitset' | 'u64array' | 's32array' | 'u64map';

export interface AttrDef {
  readonly id: number;
  readonly name: string;
  readonly cname: string;
  readonly type: AttrType;
  /** The table of a nested attribute or of each element of a nested array. */
  readonly nested?: AttrSet;
  /** May repeat: decodes to an array, encodes each element. */
  readonly multi: boolean;
  /** Bitsets: the ETH_SS_* string set that names its bits. */
  readonly strset?: number;
  /** Bitsets: that string set is per device (else global). */
  readonly perDevice?: boolean;
}

export interface AttrSet {
  readonly name: string;
  readonly prefix: string;
  readonly attrs: readonly AttrDef[];
  readonly byId: ReadonlyMap<number, AttrDef>;
  readonly byName: ReadonlyMap<string, AttrDef>;
}

export interface RawAttr { id: number; nested: boolean; data: Uint8Array }

export type AttrValue =
  | number | bigint | string | boolean | Uint8Array
  | number[] | bigint[] | Attrs | Attrs[] | Bitset | VerboseBitset | Record<number, bigint>
  | RawAttr[] | AttrValue[];

/** Decoded attributes, or attributes to encode, by name. */
export interface Attrs { [name: string]: AttrValue | undefined }

export interface DeclOptions {
  multi?: boolean;
  array?: boolean;
  /** The C name, when it is not prefix + NAME. */
  c?: string;
  strset?: number;
  perDevice?: boolean;
}

export type Decl = readonly [id: number, name: string, type: Exclude<AttrType, 'nested' | 'array'> | AttrSet, opts?: DeclOptions];

export function defineAttrs(name: string, prefix: string, decls: readonly Decl[]): AttrSet {
  const attrs: AttrDef[] = [];
  const byId = new Map<number, AttrDef>();
  const byName = new Map<string, AttrDef>();
  for (const [id, aname, t, o = {}] of decls) {
    const nested = typeof t === 'object' ? t : undefined;
    const type: AttrType = nested ? (o.array ? 'array' : 'nested') : (t as AttrType);
    const def: AttrDef = {
      id, name: aname, cname: o.c ?? prefix + aname.toUpperCase(), type, nested,
      multi: o.multi ?? false, strset: o.strset, perDevice: o.perDevice,
    };
    if (byId.has(id)) throw new Error(`${name}: attribute id ${id} declared twice`);
    if (byName.has(aname)) throw new Error(`${name}: attribute ${aname} declared twice`);
    if (o.strset !== undefined && type !== 'bitset') throw new Error(`${name}.${aname}: strset on a ${type}`);
    attrs.push(def);
    byId.set(id, def);
    byName.set(aname, def);
  }
  return { name, prefix, attrs, byId, byName };
}

const SIZES: Record<ScalarType, number> = { u8: 1, s8: 1, u16: 2, s16: 2, be16: 2, u32: 4, s32: 4, u64: 8, s64: 8 };

function readScalar(type: ScalarType, buf: Uint8Array, at: number, stop: number, where: string): number | bigint {
  const dv = viewOf(buf);
  const len = stop - at;
  // u64/s64: the kernel's variable-width integers (NLA_UINT/NLA_SINT) may come as 4 bytes.
  if ((type === 'u64' || type === 's64') && len === 4) {
    return type === 'u64' ? BigInt(dv.getUint32(at, true)) : BigInt(dv.getInt32(at, true));
  }
  if (len < SIZES[type]) throw new NetlinkFormatError(`${type} attribute has ${len} bytes`, where, at);
  switch (type) {
    case 'u8': return dv.getUint8(at);
    case 's8': return dv.getInt8(at);
    case 'u16': return dv.getUint16(at, true);
    case 's16': return dv.getInt16(at, true);
    case 'be16': return dv.getUint16(at, false);
    case 'u32': return dv.getUint32(at, true);
    case 's32': return dv.getInt32(at, true);
    case 'u64': return dv.getBigUint64(at, true);
    case 's64': return dv.getBigInt64(at, true);
  }
}

/** Decode the attributes in buf[start, end) with `set`. */
export function decodeAttrs(set: AttrSet, buf: Uint8Array, start: number, end: number, where: string = set.name): Attrs {
  const out: Attrs = {};
  forEachAttr(buf, start, end, (id, at, stop, flags) => {
    const def = set.byId.get(id);
    if (!def) {
      const unknown = (out._unknown ??= []) as RawAttr[];
      unknown.push({ id, nested: (flags & 0x8000) !== 0, data: buf.slice(at, stop) });
      return;
    }
    const path = `${where}.${def.name}`;
    if (def.type === 'pad') return;
    if (def.type === 'u64map') {
      const map = (out[def.name] ??= {}) as Record<number, bigint>;
      forEachAttr(buf, at, stop, (sid, a, s) => { map[sid] = readScalar('u64', buf, a, s, `${path}[${sid}]`) as bigint; }, path);
      return;
    }
    const v = decodeValue(def, buf, at, stop, path);
    if (def.multi) ((out[def.name] ??= []) as AttrValue[]).push(v);
    else out[def.name] = v; // a repeated single attribute: the last one wins, as in nla_parse
  }, where);
  return out;
}

function decodeValue(def: AttrDef, buf: Uint8Array, at: number, stop: number, path: string): AttrValue {
  switch (def.type) {
    case 'string': return readString(buf, at, stop);
    case 'flag': return true;
    case 'binary': return buf.slice(at, stop);
    case 'nested': return decodeAttrs(def.nested!, buf, at, stop, path);
    case 'array': {
      const items: Attrs[] = [];
      forEachAttr(buf, at, stop, (_i, a, s) => { items.push(decodeAttrs(def.nested!, buf, a, s, `${path}[${items.length}]`)); }, path);
      return items;
    }
    case 'bitset': return decodeBitset(buf, at, stop, path);
    case 'u64array': {
      if ((stop - at) % 8) throw new NetlinkFormatError(`u64 array of ${stop - at} bytes`, path, at);
      const dv = viewOf(buf);
      const out: bigint[] = [];
      for (let o = at; o < stop; o += 8) out.push(dv.getBigUint64(o, true));
      return out;
    }
    case 's32array': {
      if ((stop - at) % 4) throw new NetlinkFormatError(`s32 array of ${stop - at} bytes`, path, at);
      const dv = viewOf(buf);
      const out: number[] = [];
      for (let o = at; o < stop; o += 4) out.push(dv.getInt32(o, true));
      return out;
    }
    case 'pad': case 'u64map':
      throw new Error('unreachable');
    default:
      return readScalar(def.type, buf, at, stop, path);
  }
}

/** Append the attributes of `values` (by name) to `w`, in the order `values` gives them. */
export function encodeAttrs(w: Writer, set: AttrSet, values: Readonly<Attrs>, where: string = set.name): void {
  for (const k of Object.keys(values)) {
    if (!set.byName.has(k) && values[k] !== undefined) throw new TypeError(`${where}: no attribute "${k}" (known: ${[...set.byName.keys()].join(', ')})`);
  }
  // In the order the caller gave them (ethtool writes attributes as it parses the command line,
  // and the kernel's extack offsets point into that order).
  for (const k of Object.keys(values)) {
    const def = set.byName.get(k)!;
    const v = values[k];
    if (v === undefined || v === false && def.type === 'flag') continue;
    const path = `${where}.${def.name}`;
    if (def.multi) {
      if (!Array.isArray(v)) throw new TypeError(`${path}: a repeated attribute takes an array`);
      for (const x of v) encodeValue(w, def, x as AttrValue, path);
    } else encodeValue(w, def, v, path);
  }
}

function num(v: AttrValue, path: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new TypeError(`${path}: expected a number, got ${typeof v}`);
}

function big(v: AttrValue, path: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`${path}: expected an integer, got ${typeof v}`);
}

function encodeValue(w: Writer, def: AttrDef, v: AttrValue, path: string): void {
  const id = def.id;
  switch (def.type) {
    case 'u8': w.u8(id, num(v, path)); return;
    case 's8': w.s8(id, num(v, path)); return;
    case 'u16': w.u16(id, num(v, path)); return;
    case 's16': w.s16(id, num(v, path)); return;
    case 'be16': w.be16(id, num(v, path)); return;
    case 'u32': w.u32(id, num(v, path)); return;
    case 's32': w.s32(id, num(v, path)); return;
    case 'u64': w.u64(id, big(v, path)); return;
    case 's64': w.s64(id, big(v, path)); return;
    case 'flag': if (v !== true) throw new TypeError(`${path}: a flag takes true or false`); w.flag(id); return;
    case 'pad': return;
    case 'string':
      if (typeof v !== 'string') throw new TypeError(`${path}: expected a string`);
      w.string(id, v);
      return;
    case 'binary':
      if (!(v instanceof Uint8Array)) throw new TypeError(`${path}: expected a Uint8Array`);
      w.bytes(id, v);
      return;
    case 'nested': {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) throw new TypeError(`${path}: expected an object of attributes`);
      const n = w.nestStart(id);
      encodeAttrs(w, def.nested!, v as Attrs, path);
      w.nestEnd(n);
      return;
    }
    case 'array': {
      if (!Array.isArray(v)) throw new TypeError(`${path}: a nested array takes an array`);
      const n = w.nestStart(id);
      v.forEach((item, i) => {
        const e = w.nestStart(i + 1);
        encodeAttrs(w, def.nested!, item as Attrs, `${path}[${i}]`);
        w.nestEnd(e);
      });
      w.nestEnd(n);
      return;
    }
    case 'bitset': {
      if (!(v instanceof Bitset) && !isVerboseBitset(v)) throw new TypeError(`${path}: expected a Bitset or { verbose: [...] }`);
      const n = w.nestStart(id);
      encodeBitset(w, v);
      w.nestEnd(n);
      return;
    }
    case 'u64array': case 's32array': {
      if (!Array.isArray(v)) throw new TypeError(`${path}: expected an array of integers`);
      const size = def.type === 'u64array' ? 8 : 4;
      const bytes = new Uint8Array(v.length * size);
      const dv = new DataView(bytes.buffer);
      v.forEach((x, i) => {
        if (size === 8) dv.setBigUint64(i * 8, big(x as AttrValue, path), true);
        else dv.setInt32(i * 4, num(x as AttrValue, path), true);
      });
      w.bytes(id, bytes);
      return;
    }
    case 'u64map': {
      if (typeof v !== 'object' || v === null) throw new TypeError(`${path}: expected { id: value }`);
      for (const [k, x] of Object.entries(v)) {
        const n = w.nestStart(id);
        w.u64(Number(k), big(x as AttrValue, path));
        w.nestEnd(n);
      }
      return;
    }
  }
}

/**
 * The path of attribute names that covers byte `offset` of the attributes in buf[start, end)
 * (an extended ack's NLMSGERR_ATTR_OFFS, made relative to the attributes): e.g.
 * ['header', 'dev_name']. Unknown attributes appear as '#<id>'. Empty when the offset falls
 * outside every attribute.
 */
export function attrPath(set: AttrSet | undefined, buf: Uint8Array, start: number, end: number, offset: number): string[] {
  const path: string[] = [];
  let found = false;
  try {
    forEachAttr(buf, start, end, (id, at, stop) => {
      if (found || offset < at - 4 || offset >= stop) return;
      found = true;
      const def = set?.byId.get(id);
      path.push(def ? def.name : `#${id}`);
      if (offset >= at && def && def.type === 'nested') path.push(...attrPath(def.nested, buf, at, stop, offset));
      if (offset >= at && def && def.type === 'bitset') path.push(...attrPath(undefined, buf, at, stop, offset));
    });
  } catch {
    // a malformed request cannot be described further
  }
  return path;
}
