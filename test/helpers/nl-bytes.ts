/**
 * Netlink bytes by hand, for tests: a deliberately simple builder that shares no code with
 * src/ethtool/netlink (so a codec test decodes bytes the codec did not make).
 *
 *   nlmsg({ type: 21, flags: 0 }, genl(16, 1, nest(1, u32(1, 4), str(2, 'eth0')), u32(2, 256)))
 *
 * All integers little-endian (the host order of the machines the project runs on).
 */

export type Bytes = Uint8Array;

export function cat(...parts: ReadonlyArray<Bytes | readonly number[]>): Bytes {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function le(v: number | bigint, size: number): number[] {
  const out: number[] = [];
  let x = BigInt.asUintN(size * 8, BigInt(v));
  for (let i = 0; i < size; i++) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
}

/** One attribute: header, payload, zero padding to 4 bytes. */
export function nla(type: number, payload: Bytes | readonly number[] = []): Bytes {
  const len = 4 + payload.length;
  const pad = (4 - (len % 4)) % 4;
  return cat(le(len, 2), le(type, 2), payload, new Array(pad).fill(0));
}

export const flag = (t: number): Bytes => nla(t);
export const u8 = (t: number, v: number): Bytes => nla(t, le(v, 1));
export const u16 = (t: number, v: number): Bytes => nla(t, le(v, 2));
export const u32 = (t: number, v: number): Bytes => nla(t, le(v, 4));
export const s32 = (t: number, v: number): Bytes => nla(t, le(v, 4));
export const u64 = (t: number, v: number | bigint): Bytes => nla(t, le(v, 8));
export const be16 = (t: number, v: number): Bytes => nla(t | 0x4000, [(v >> 8) & 0xff, v & 0xff]);
export const bin = (t: number, b: readonly number[] | Bytes): Bytes => nla(t, b);
/** NUL-terminated, as ethtool and the kernel send strings. */
export const str = (t: number, s: string): Bytes => nla(t, [...Buffer.from(s, 'utf8'), 0]);
/** A nest with NLA_F_NESTED set (nested = false: without it, as the controller sends its arrays). */
export function nest(t: number, ...children: Bytes[]): Bytes {
  return nla(t | 0x8000, cat(...children));
}
export function nestPlain(t: number, ...children: Bytes[]): Bytes {
  return nla(t, cat(...children));
}

/** Little-endian u32 words. */
export function words(...w: number[]): Bytes {
  return cat(...w.map(x => le(x, 4)));
}

export interface Hdr { type: number; flags?: number; seq?: number; pid?: number }

/** A whole message: nlmsghdr (nlmsg_len computed, without trailing padding) + payload. */
export function nlmsg(h: Hdr, payload: Bytes): Bytes {
  return cat(le(16 + payload.length, 4), le(h.type, 2), le(h.flags ?? 0, 2), le(h.seq ?? 0, 4), le(h.pid ?? 0, 4), payload);
}

/** genlmsghdr + attributes. */
export function genl(cmd: number, version: number, ...attrs: Bytes[]): Bytes {
  return cat([cmd, version, 0, 0], ...attrs);
}

/**
 * An NLMSG_ERROR: error code, the request's header (and its payload unless capped), then
 * extended ack TLVs. Flags: NLM_F_CAPPED (0x100) when capped, NLM_F_ACK_TLVS (0x200) with TLVs.
 */
export function ack(h: { seq?: number; pid?: number }, error: number, request: Bytes, opts: { capped?: boolean; tlvs?: Bytes[] } = {}): Bytes {
  const capped = opts.capped ?? error === 0;
  const echoed = capped ? request.subarray(0, 16) : request;
  const tlvs = cat(...(opts.tlvs ?? []));
  const flags = (capped ? 0x100 : 0) | (tlvs.length ? 0x200 : 0);
  return nlmsg({ type: 2, flags, seq: h.seq, pid: h.pid }, cat(le(error, 4), echoed, new Array((4 - (echoed.length % 4)) % 4).fill(0), tlvs));
}

/** An NLMSG_DONE (flags NLM_F_MULTI) with its error code and optional TLVs. */
export function done(h: { seq?: number; pid?: number }, error = 0, tlvs: Bytes[] = []): Bytes {
  const t = cat(...tlvs);
  return nlmsg({ type: 3, flags: 0x2 | (t.length ? 0x200 : 0), seq: h.seq, pid: h.pid }, cat(le(error, 4), t));
}

/** Several messages in one datagram, each padded to 4 bytes. */
export function datagram(...msgs: Bytes[]): Bytes {
  return cat(...msgs.map(m => cat(m, new Array((4 - (m.length % 4)) % 4).fill(0))));
}

export function fromHex(h: string): Bytes {
  const clean = h.replace(/[^0-9a-f]/gi, '');
  if (clean.length % 2) throw new Error('odd number of hex digits');
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function toHex(b: Bytes): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}
