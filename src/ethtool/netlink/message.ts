/**
 * Message framing: struct nlmsghdr + struct genlmsghdr + attributes, out and in.
 *
 * Out: beginGenl()/endMessage() around attributes written with a Writer (./tlv.ts), or
 * buildGenl() for a whole message from an attribute table and values.
 *
 * In: parseMessages() splits a received datagram into its messages, checking every length;
 * parseAck() reads an NLMSG_ERROR (error code, the echoed request header, extended ack
 * TLVs: message, offset, cookie, policy, missing attribute) and parseDone() an NLMSG_DONE.
 * ethtoolErrorLines() says what ethtool 6.1 prints for such an ack (docs/netlink.md).
 */
import { strerror } from '../errno';
import { AttrSet, Attrs, decodeAttrs, encodeAttrs, RawAttr } from './attrs';
import { NLMSGERR } from './catalog';
import { GENL_HDRLEN, GENLMSGHDR as G, NLM_F, NLMSG, NLMSG_HDRLEN, NLMSGERR_LAYOUT as E, NLMSGERR_SIZE, NLMSGHDR as H } from './constants';
import { align4, NetlinkFormatError, viewOf, Writer } from './tlv';

export interface NlHeader {
  len: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** One message inside a received datagram: its header and where its payload lies in `buf`. */
export interface NlMessage extends NlHeader {
  buf: Uint8Array;
  /** Offset of the nlmsghdr. */
  offset: number;
  /** Payload: buf[payload, end). */
  payload: number;
  end: number;
}

/** Start a generic netlink message at the writer's current end; returns its offset. */
export function beginGenl(w: Writer, type: number, flags: number, seq: number, cmd: number, version: number, pid = 0): number {
  const at = w.reserve(NLMSG_HDRLEN + GENL_HDRLEN);
  w.u16at(at + H.nlmsg_type, type);
  w.u16at(at + H.nlmsg_flags, flags);
  w.u32at(at + H.nlmsg_seq, seq);
  w.u32at(at + H.nlmsg_pid, pid);
  w.u8at(at + H.size + G.cmd, cmd);
  w.u8at(at + H.size + G.version, version);
  return at;
}

/** Set nlmsg_len of the message started at `start`. */
export function endMessage(w: Writer, start: number): void {
  w.u32at(start + H.nlmsg_len, w.len - start);
}

export interface GenlRequest {
  family: number;
  cmd: number;
  version: number;
  flags: number;
  seq: number;
  attrs?: AttrSet;
  values?: Readonly<Attrs>;
}

/** A whole generic netlink message in `w` (reset first); returns a view of its bytes. */
export function buildGenl(w: Writer, r: GenlRequest): Uint8Array {
  w.reset();
  const at = beginGenl(w, r.family, r.flags, r.seq, r.cmd, r.version);
  if (r.attrs && r.values) encodeAttrs(w, r.attrs, r.values);
  endMessage(w, at);
  return w.bytesView();
}

/** The messages of one datagram buf[0, n). Throws NetlinkFormatError on a bad length. */
export function parseMessages(buf: Uint8Array, n: number): NlMessage[] {
  if (n > buf.byteLength) throw new NetlinkFormatError(`datagram of ${n} bytes in a ${buf.byteLength}-byte buffer`);
  const dv = viewOf(buf);
  const out: NlMessage[] = [];
  let off = 0;
  while (off < n) {
    if (n - off < NLMSG_HDRLEN) throw new NetlinkFormatError(`${n - off} bytes at offset ${off}, too short for a message header`, 'datagram', off);
    const len = dv.getUint32(off + H.nlmsg_len, true);
    if (len < NLMSG_HDRLEN) throw new NetlinkFormatError(`message at offset ${off} has nlmsg_len ${len}`, 'datagram', off);
    if (len > n - off) throw new NetlinkFormatError(`message at offset ${off} has nlmsg_len ${len}, only ${n - off} bytes received`, 'datagram', off);
    out.push({
      len, type: dv.getUint16(off + H.nlmsg_type, true), flags: dv.getUint16(off + H.nlmsg_flags, true),
      seq: dv.getUint32(off + H.nlmsg_seq, true), pid: dv.getUint32(off + H.nlmsg_pid, true),
      buf, offset: off, payload: off + NLMSG_HDRLEN, end: off + len,
    });
    off += align4(len);
  }
  return out;
}

/** The genlmsghdr of a family message and where its attributes are. */
export function genlHeader(m: NlMessage): { cmd: number; version: number; attrs: number } {
  if (m.end - m.payload < GENL_HDRLEN) throw new NetlinkFormatError(`generic netlink message of ${m.len} bytes has no genlmsghdr`, `message type ${m.type}`, m.offset);
  return { cmd: m.buf[m.payload + G.cmd], version: m.buf[m.payload + G.version], attrs: m.payload + GENL_HDRLEN };
}

/** The extended ack of an NLMSG_ERROR or NLMSG_DONE (NETLINK_EXT_ACK). */
export interface Extack {
  /** NLMSGERR_ATTR_MSG: the kernel's explanation. */
  message?: string;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute, from the start of the request's nlmsghdr. */
  offset?: number;
  cookie?: Uint8Array;
  /** NLMSGERR_ATTR_POLICY: the policy the offending attribute failed (NL_POLICY_TYPE_ATTR_*). */
  policy?: Attrs;
  /** NLMSGERR_ATTR_MISS_TYPE / MISS_NEST: a required attribute that was missing, and the nest's offset. */
  missingType?: number;
  missingNest?: number;
  /** TLVs newer than this code. */
  unknown?: RawAttr[];
}

export interface Ack {
  /** 0 for an ack, else the negated errno. */
  error: number;
  extack: Extack | null;
  /** The header of the request this answers (NLMSG_ERROR only). */
  request: NlHeader | null;
  /** The request's payload as echoed by the kernel (absent when NLM_F_CAPPED). */
  requestPayload: Uint8Array | null;
}

function readExtack(m: NlMessage, start: number): Extack | null {
  if (!(m.flags & NLM_F.ACK_TLVS) || start >= m.end) return null;
  const a = decodeAttrs(NLMSGERR, m.buf, start, m.end, 'extack');
  const x: Extack = {};
  if (a.msg !== undefined) x.message = a.msg as string;
  if (a.offs !== undefined) x.offset = a.offs as number;
  if (a.cookie !== undefined) x.cookie = a.cookie as Uint8Array;
  if (a.policy !== undefined) x.policy = a.policy as Attrs;
  if (a.miss_type !== undefined) x.missingType = a.miss_type as number;
  if (a.miss_nest !== undefined) x.missingNest = a.miss_nest as number;
  if (a._unknown) x.unknown = a._unknown as RawAttr[];
  return x;
}

/** Read an NLMSG_ERROR message. */
export function parseAck(m: NlMessage): Ack {
  if (m.type !== NLMSG.ERROR) throw new TypeError(`message type ${m.type} is not NLMSG_ERROR`);
  if (m.end - m.payload < NLMSGERR_SIZE) throw new NetlinkFormatError(`NLMSG_ERROR of ${m.len} bytes, struct nlmsgerr needs ${NLMSG_HDRLEN + NLMSGERR_SIZE}`, 'ack', m.offset);
  const dv = viewOf(m.buf);
  const p = m.payload;
  const error = dv.getInt32(p + E.error, true);
  const q = p + E.msg;
  const request: NlHeader = {
    len: dv.getUint32(q + H.nlmsg_len, true), type: dv.getUint16(q + H.nlmsg_type, true),
    flags: dv.getUint16(q + H.nlmsg_flags, true), seq: dv.getUint32(q + H.nlmsg_seq, true),
    pid: dv.getUint32(q + H.nlmsg_pid, true),
  };
  let tlvs = p + NLMSGERR_SIZE;
  let requestPayload: Uint8Array | null = null;
  if (!(m.flags & NLM_F.CAPPED) && error !== 0) {
    // An error ack echoes the whole request unless NETLINK_CAP_ACK is set (then NLM_F_CAPPED);
    // a success ack never does (kernels since 4.12 flag it NLM_F_CAPPED, older ones did not).
    if (request.len < NLMSG_HDRLEN) throw new NetlinkFormatError(`echoed request has nlmsg_len ${request.len}`, 'ack', q);
    const body = align4(request.len - NLMSG_HDRLEN);
    if (tlvs + request.len - NLMSG_HDRLEN > m.end) throw new NetlinkFormatError(`echoed request of ${request.len} bytes runs past the ${m.len}-byte ack`, 'ack', q);
    requestPayload = m.buf.slice(tlvs, tlvs + request.len - NLMSG_HDRLEN);
    tlvs = Math.min(m.end, tlvs + body);
  }
  return { error, extack: readExtack(m, tlvs), request, requestPayload };
}

/** Read an NLMSG_DONE message (the end of a dump): its error code and extended ack. */
export function parseDone(m: NlMessage): Ack {
  if (m.type !== NLMSG.DONE) throw new TypeError(`message type ${m.type} is not NLMSG_DONE`);
  // An NLMSG_DONE carries an int (0 or -errno); some old producers sent none.
  const error = m.end - m.payload >= 4 ? viewOf(m.buf).getInt32(m.payload, true) : 0;
  return { error, extack: readExtack(m, m.payload + 4), request: null, requestPayload: null };
}

/**
 * What ethtool 6.1 prints to stderr for an ack (netlink/nlsock.c, nlsock_process_ack):
 * `suppress` is its suppress_nlerr: 0 shows everything, 1 silences EOPNOTSUPP, 2 silences all.
 *   - with extended ack TLVs and a message: "netlink error: MSG" ("netlink warning: MSG" when
 *     the error code is 0), followed by " (offset N)" when the kernel gave an offset;
 *   - then, for a non-zero error code: "netlink error: " + strerror(errno) (perror).
 */
export function ethtoolErrorLines(ack: { error: number; extack: Extack | null }, suppress: 0 | 1 | 2 = 0): string[] {
  const silent = suppress >= 2 || (suppress === 1 && ack.error === -95 /* EOPNOTSUPP */);
  const lines: string[] = [];
  if (!silent && ack.extack?.message !== undefined) {
    let line = `netlink ${ack.error ? 'error' : 'warning'}: ${ack.extack.message}`;
    if (ack.extack.offset !== undefined) line += ` (offset ${ack.extack.offset})`;
    lines.push(line);
  }
  if (ack.error && !silent) lines.push(`netlink error: ${strerror(-ack.error)}`);
  return lines;
}
