/**
 * Netlink attributes (struct nlattr TLVs) at the byte level: a bounds-checked iterator and a
 * growable writer. Everything above (attribute tables, bitsets, messages) is built on these
 * two; nothing here knows what an attribute means.
 *
 * Reading never trusts a length: an attribute whose nla_len is below 4 or runs past its
 * container is a NetlinkFormatError naming where it was found, and every step advances by at
 * least 4 bytes, so no input can make a loop spin or read outside the received bytes.
 */

/** struct nlattr: size and field offsets. */
export const NLATTR = { size: 4, nla_len: 0, nla_type: 2 } as const;
export const NLA_HDRLEN = NLATTR.size;
export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = 0x3fff;

export function align4(n: number): number {
  return (n + 3) & ~3;
}

/** A message or attribute that does not parse: truncated, overlong, or of the wrong size. */
export class NetlinkFormatError extends Error {
  constructor(message: string, readonly where = '', readonly offset = -1) {
    super(where ? `${where}: ${message}` : message);
    this.name = 'NetlinkFormatError';
  }
}

let lastBuf: Uint8Array | null = null;
let lastView: DataView | null = null;

/** A DataView over `buf` (cached for the last buffer: decoding reuses one receive buffer). */
export function viewOf(buf: Uint8Array): DataView {
  if (buf !== lastBuf || !lastView) {
    lastBuf = buf;
    lastView = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return lastView;
}

/**
 * Visit each attribute in buf[start, end): fn(type without flags, payload start, payload end,
 * flags bits). Throws NetlinkFormatError on a malformed attribute.
 */
export function forEachAttr(
  buf: Uint8Array, start: number, end: number,
  fn: (type: number, at: number, stop: number, flags: number) => void, where = '',
): void {
  if (end > buf.byteLength || start < 0 || start > end) {
    throw new NetlinkFormatError(`attribute area [${start}, ${end}) lies outside the ${buf.byteLength} bytes received`, where, start);
  }
  const dv = viewOf(buf);
  let off = start;
  while (off < end) {
    if (end - off < NLA_HDRLEN) {
      throw new NetlinkFormatError(`${end - off} stray bytes at offset ${off}, too short for an attribute header`, where, off);
    }
    const len = dv.getUint16(off + NLATTR.nla_len, true);
    const rawType = dv.getUint16(off + NLATTR.nla_type, true);
    if (len < NLA_HDRLEN) throw new NetlinkFormatError(`attribute ${rawType & NLA_TYPE_MASK} at offset ${off} has nla_len ${len}`, where, off);
    if (off + len > end) {
      throw new NetlinkFormatError(`attribute ${rawType & NLA_TYPE_MASK} at offset ${off} is ${len} bytes, only ${end - off} left`, where, off);
    }
    fn(rawType & NLA_TYPE_MASK, off + NLA_HDRLEN, off + len, rawType & ~NLA_TYPE_MASK);
    // The padding of the last attribute may lie past `end` (a nest's length is not aligned).
    off = Math.min(end, off + align4(len));
  }
}

/** A NUL-terminated (or not) UTF-8 string in buf[at, stop). */
export function readString(buf: Uint8Array, at: number, stop: number): string {
  let e = at;
  let ascii = true;
  while (e < stop && buf[e] !== 0) {
    if (buf[e] >= 0x80) ascii = false;
    e++;
  }
  if (ascii) {
    let s = '';
    for (let i = at; i < e; i++) s += String.fromCharCode(buf[i]);
    return s;
  }
  return Buffer.from(buf.buffer, buf.byteOffset + at, e - at).toString('utf8');
}

const encoder = new TextEncoder();

/**
 * Builds netlink messages into one growable buffer, reused from message to message: after
 * reset() nothing is allocated unless a message outgrows every one before it.
 */
export class Writer {
  buf: Uint8Array;
  private dv: DataView;
  len = 0;

  constructor(size = 4096) {
    this.buf = new Uint8Array(size);
    this.dv = new DataView(this.buf.buffer);
  }

  reset(): this {
    this.len = 0;
    return this;
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.len + n;
    if (need <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }

  /** `n` zeroed bytes; returns their offset. */
  reserve(n: number): number {
    this.ensure(n);
    const at = this.len;
    this.buf.fill(0, at, at + n);
    this.len += n;
    return at;
  }

  u8at(off: number, v: number): void { this.dv.setUint8(off, v); }
  u16at(off: number, v: number): void { this.dv.setUint16(off, v, true); }
  u32at(off: number, v: number): void { this.dv.setUint32(off, v >>> 0, true); }

  /** Start an attribute of `type` with `payload` bytes; returns the payload's offset. */
  private attr(type: number, payload: number): number {
    const at = this.reserve(align4(NLA_HDRLEN + payload));
    // (reserve() may have replaced this.dv: it is read only now)
    this.dv.setUint16(at + NLATTR.nla_len, NLA_HDRLEN + payload, true);
    this.dv.setUint16(at + NLATTR.nla_type, type, true);
    return at + NLA_HDRLEN;
  }

  flag(type: number): void { this.attr(type, 0); }
  // The offset is taken before the DataView: attr() may grow the buffer and replace it.
  u8(type: number, v: number): void { const at = this.attr(type, 1); this.dv.setUint8(at, v); }
  s8(type: number, v: number): void { const at = this.attr(type, 1); this.dv.setInt8(at, v); }
  u16(type: number, v: number): void { const at = this.attr(type, 2); this.dv.setUint16(at, v, true); }
  s16(type: number, v: number): void { const at = this.attr(type, 2); this.dv.setInt16(at, v, true); }
  be16(type: number, v: number): void { const at = this.attr(type | NLA_F_NET_BYTEORDER, 2); this.dv.setUint16(at, v, false); }
  u32(type: number, v: number): void { const at = this.attr(type, 4); this.dv.setUint32(at, v >>> 0, true); }
  s32(type: number, v: number): void { const at = this.attr(type, 4); this.dv.setInt32(at, v, true); }
  u64(type: number, v: bigint | number): void { const at = this.attr(type, 8); this.dv.setBigUint64(at, BigInt(v), true); }
  s64(type: number, v: bigint | number): void { const at = this.attr(type, 8); this.dv.setBigInt64(at, BigInt(v), true); }

  /** A NUL-terminated string (NLA_NUL_STRING), as ethtool sends device names. */
  string(type: number, s: string): void {
    const bytes = encoder.encode(s);
    const at = this.attr(type, bytes.byteLength + 1);
    this.buf.set(bytes, at);
  }

  bytes(type: number, data: Uint8Array): void {
    const at = this.attr(type, data.byteLength);
    this.buf.set(data, at);
  }

  /** Open a nest (NLA_F_NESTED set, as ethtool and the kernel do); close it with nestEnd. */
  nestStart(type: number): number {
    const at = this.attr(type | NLA_F_NESTED, 0);
    return at - NLA_HDRLEN;
  }

  nestEnd(start: number): void {
    this.dv.setUint16(start + NLATTR.nla_len, this.len - start, true);
  }

  /** The bytes written so far (a view, valid until the next reset or growth). */
  bytesView(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
