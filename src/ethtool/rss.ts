/**
 * RSS and RX flow classification: every request of ETHTOOL_GRXRINGS, GRSSH/SRSSH,
 * GRXFHINDIR/SRXFHINDIR, GRXFH/SRXFH and the classification rules (GRXCLSRLCNT, GRXCLSRLALL,
 * GRXCLSRULE, SRXCLSRLINS, SRXCLSRLDEL) is built and decoded here, answering the errno. Also
 * the catalogs both front ends share: flow type names, hash field letters, and the rule keyword
 * table (which word sets which field of struct ethtool_rx_flow_spec, in what byte order).
 */
import { request, StructLayout } from './layout';
import * as S from './structs';
import { ETHTOOL, FLOW, FLOW_FLAG, RXH, RX_CLS_LOC, RX_CLS_FLOW_DISC, RX_CLS_FLOW_WAKE, RX_FLOW_SPEC, ETH_RX_NFC_IP4, ETH_RXFH_INDIR_NO_CHANGE } from './constants';
import type { Port } from './transport';
import type { Res } from './ops';

const fail = (errno: number): { ok: false; errno: number } => ({ ok: false, errno });
const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
const off = (l: StructLayout, f: string): number => l.byName[f].offset;

// ---- struct ethtool_rxnfc ------------------------------------------------------------------

const N = S.ethtool_rxnfc;
const N_FLOW = off(N, 'flow_type'), N_DATA = off(N, 'data'), N_FS = off(N, 'fs');
const N_CTX = off(N, 'rss_context'), N_LOCS = N.flex!.offset;
/** The size of struct ethtool_rx_flow_spec. */
export const FLOW_SPEC_SIZE = S.ethtool_rx_flow_spec.size;

export interface RxnfcFields {
  flow_type?: number;
  data?: bigint;
  /** rss_context (also rule_cnt: one word of the kernel's union). */
  rss_context?: number;
  /** The flow spec's bytes (FLOW_SPEC_SIZE). */
  fs?: Uint8Array;
}

/** An ethtool_rxnfc request for `cmd`, with room for `locs` rule locations. */
export function rxnfcRequest(cmd: number, f: RxnfcFields = {}, locs = 0): Uint8Array {
  const buf = request(N, cmd, locs * 4);
  const v = dv(buf);
  if (f.flow_type !== undefined) v.setUint32(N_FLOW, f.flow_type >>> 0, true);
  if (f.data !== undefined) v.setBigUint64(N_DATA, f.data, true);
  if (f.rss_context !== undefined) v.setUint32(N_CTX, f.rss_context >>> 0, true);
  if (f.fs) buf.set(f.fs.subarray(0, FLOW_SPEC_SIZE), N_FS);
  return buf;
}

export interface Rxnfc { flow_type: number; data: bigint; rss_context: number; fs: Uint8Array }

export function rxnfcDecode(buf: Uint8Array): Rxnfc {
  const v = dv(buf);
  return {
    flow_type: v.getUint32(N_FLOW, true), data: v.getBigUint64(N_DATA, true), rss_context: v.getUint32(N_CTX, true),
    fs: buf.slice(N_FS, N_FS + FLOW_SPEC_SIZE),
  };
}

/** ETHTOOL_GRXRINGS: the number of RX rings (the reply's data). */
export function getRxRings(p: Port): Res<bigint> {
  const buf = rxnfcRequest(ETHTOOL.GRXRINGS);
  const r = p.ioctl(buf);
  return r < 0 ? fail(-r) : { ok: true, v: rxnfcDecode(buf).data };
}

/** ETHTOOL_GRXFH: the RXH_* fields hashed for `flowType` (of RSS context `context`, with FLOW_RSS). */
export function getRxFlowHash(p: Port, flowType: number, context?: number): Res<{ data: bigint; rss_context: number }> {
  const buf = rxnfcRequest(ETHTOOL.GRXFH, { flow_type: context === undefined ? flowType : (flowType | FLOW_FLAG.RSS) >>> 0, rss_context: context });
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const d = rxnfcDecode(buf);
  return { ok: true, v: { data: d.data, rss_context: d.rss_context } };
}

/** ETHTOOL_SRXFH: hash `flowType` on the RXH_* fields in `data`. The kernel's answer or -errno. */
export function setRxFlowHash(p: Port, flowType: number, data: number, context?: number): number {
  return p.ioctl(rxnfcRequest(ETHTOOL.SRXFH, {
    flow_type: context === undefined ? flowType : (flowType | FLOW_FLAG.RSS) >>> 0, data: BigInt(data >>> 0), rss_context: context,
  }));
}

/** ETHTOOL_GRXCLSRLCNT: how many rules there are; data carries the table size and RX_CLS_LOC_SPECIAL. */
export function ruleCount(p: Port): Res<{ count: number; data: bigint }> & { count: number } {
  const buf = rxnfcRequest(ETHTOOL.GRXCLSRLCNT, { data: 0n });
  const r = p.ioctl(buf);
  const d = rxnfcDecode(buf);
  // The count is read whatever the answer (ethtool prints it, from what the kernel left).
  return r < 0 ? { ok: false, errno: -r, count: d.rss_context } : { ok: true, v: { count: d.rss_context, data: d.data }, count: d.rss_context };
}

/** ETHTOOL_GRXCLSRLALL for `count` rules: the table size (data) and the rules' locations. */
export function ruleLocations(p: Port, count: number): Res<{ size: number; locs: number[] }> {
  const buf = rxnfcRequest(ETHTOOL.GRXCLSRLALL, { rss_context: count }, count);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const v = dv(buf);
  const locs: number[] = [];
  for (let i = 0; i < count; i++) locs.push(v.getUint32(N_LOCS + 4 * i, true));
  return { ok: true, v: { size: Number(v.getBigUint64(N_DATA, true) & 0xffffffffn), locs } };
}

/** ETHTOOL_GRXCLSRULE: the rule at `loc` (its flow spec bytes) and its RSS context. */
export function getRule(p: Port, loc: number): Res<{ fs: Uint8Array; rss_context: number }> {
  const fs = new Uint8Array(FLOW_SPEC_SIZE);
  dv(fs).setUint32(FS_LOCATION, loc >>> 0, true);
  const buf = rxnfcRequest(ETHTOOL.GRXCLSRULE, { fs });
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const d = rxnfcDecode(buf);
  return { ok: true, v: { fs: d.fs, rss_context: d.rss_context } };
}

/** ETHTOOL_SRXCLSRLINS of `fs`: the kernel's answer, and the location it chose (or was given). */
export function insertRule(p: Port, fs: Uint8Array, rssContext: number): { r: number; location: number } {
  const buf = rxnfcRequest(ETHTOOL.SRXCLSRLINS, { fs, rss_context: rssContext });
  const r = p.ioctl(buf);
  return { r, location: dv(buf).getUint32(N_FS + FS_LOCATION, true) };
}

/** ETHTOOL_SRXCLSRLDEL of the rule at `loc`. */
export function deleteRule(p: Port, loc: number): number {
  const fs = new Uint8Array(FLOW_SPEC_SIZE);
  dv(fs).setUint32(FS_LOCATION, loc >>> 0, true);
  return p.ioctl(rxnfcRequest(ETHTOOL.SRXCLSRLDEL, { fs }));
}

/**
 * ETHTOOL_SRXNTUPLE, which ethtool tries before SRXCLSRLINS when the device has the ntuple
 * flag. The kernel has had no handler for it since 2.6.40 (it answers EOPNOTSUPP whatever the
 * request holds), so the request is a zeroed struct ethtool_rx_ntuple (184 bytes) with its command.
 */
export function srxntuple(p: Port): number {
  const buf = new Uint8Array(184);
  dv(buf).setUint32(0, ETHTOOL.SRXNTUPLE, true);
  return p.ioctl(buf);
}

// ---- indirection table and key ---------------------------------------------------------------

const H = S.ethtool_rxfh;
const H_CTX = off(H, 'rss_context'), H_INDIR = off(H, 'indir_size'), H_KEY = off(H, 'key_size'), H_HFUNC = off(H, 'hfunc');
const H_CFG = H.flex!.offset;

export interface RxfhHead { rss_context: number; indir_size: number; key_size: number; hfunc: number }
export interface Rxfh extends RxfhHead { indir: number[]; key: Uint8Array }

/**
 * A GRSSH/SRSSH request: the header, `indir` entries, then `key` (after `indirRoom` u32s when
 * given: ethtool sizes the table part from the request, not from the entries written).
 */
export function rxfhRequest(cmd: number, h: RxfhHead, indir: ArrayLike<number> = [], key: Uint8Array = new Uint8Array(0), extra = 0): Uint8Array {
  const buf = request(H, cmd, indir.length * 4 + key.length + extra);
  const v = dv(buf);
  v.setUint32(H_CTX, h.rss_context >>> 0, true);
  v.setUint32(H_INDIR, h.indir_size >>> 0, true);
  v.setUint32(H_KEY, h.key_size >>> 0, true);
  v.setUint8(H_HFUNC, h.hfunc & 0xff);
  for (let i = 0; i < indir.length; i++) v.setUint32(H_CFG + 4 * i, indir[i] >>> 0, true);
  buf.set(key, H_CFG + 4 * indir.length);
  return buf;
}

export function rxfhHeadDecode(buf: Uint8Array): RxfhHead {
  const v = dv(buf);
  return { rss_context: v.getUint32(H_CTX, true), indir_size: v.getUint32(H_INDIR, true), key_size: v.getUint32(H_KEY, true), hfunc: v.getUint8(H_HFUNC) };
}

/** GRSSH with no room: the table and key sizes and the hash function of `context`. */
export function getRxfhHead(p: Port, context = 0): Res<RxfhHead> {
  const buf = rxfhRequest(ETHTOOL.GRSSH, { rss_context: context, indir_size: 0, key_size: 0, hfunc: 0 });
  const r = p.ioctl(buf);
  return r < 0 ? fail(-r) : { ok: true, v: rxfhHeadDecode(buf) };
}

/** GRSSH with room for the sizes `head` gave: the table and the key. */
export function getRxfh(p: Port, head: RxfhHead): Res<Rxfh> {
  const buf = rxfhRequest(ETHTOOL.GRSSH, { ...head, hfunc: 0 }, [], new Uint8Array(0), head.indir_size * 4 + head.key_size);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const h = rxfhHeadDecode(buf);
  const v = dv(buf);
  const indir: number[] = [];
  for (let i = 0; i < h.indir_size; i++) indir.push(v.getUint32(H_CFG + 4 * i, true));
  const k = H_CFG + 4 * h.indir_size;
  return { ok: true, v: { ...h, indir, key: buf.slice(k, k + h.key_size) } };
}

/**
 * SRSSH: `h.indir_size` entries of `indir` (0: the default table; ETH_RXFH_INDIR_NO_CHANGE: as
 * it is), `h.key_size` bytes of `key` (0: unchanged), hash function bit `h.hfunc` (0: unchanged).
 * Returns the kernel's answer and the context (a new one, for ETH_RXFH_CONTEXT_ALLOC).
 */
export function setRxfh(p: Port, h: RxfhHead, indir: ArrayLike<number>, key: Uint8Array, keyRoom = key.length): { r: number; rss_context: number } {
  const buf = rxfhRequest(ETHTOOL.SRSSH, h, indir, key, Math.max(0, keyRoom - key.length));
  const r = p.ioctl(buf);
  return { r, rss_context: dv(buf).getUint32(H_CTX, true) };
}

const I = S.ethtool_rxfh_indir;
const I_SIZE = off(I, 'size'), I_RING = I.flex!.offset;

/** GRXFHINDIR with size 0: the table's size. */
export function getIndirSize(p: Port): Res<number> {
  const buf = request(I, ETHTOOL.GRXFHINDIR);
  const r = p.ioctl(buf);
  return r < 0 ? fail(-r) : { ok: true, v: dv(buf).getUint32(I_SIZE, true) };
}

/** GRXFHINDIR of `size` entries. */
export function getIndir(p: Port, size: number): Res<number[]> {
  const buf = request(I, ETHTOOL.GRXFHINDIR, size * 4);
  dv(buf).setUint32(I_SIZE, size >>> 0, true);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const v = dv(buf);
  const n = v.getUint32(I_SIZE, true);
  const out: number[] = [];
  for (let i = 0; i < Math.min(n, size); i++) out.push(v.getUint32(I_RING + 4 * i, true));
  return { ok: true, v: out };
}

/** SRXFHINDIR: `size` (0: default table) with the entries of `table`; room for `room` entries. */
export function setIndir(p: Port, size: number, table: ArrayLike<number>, room = table.length): number {
  const buf = request(I, ETHTOOL.SRXFHINDIR, Math.max(room, table.length) * 4);
  const v = dv(buf);
  v.setUint32(I_SIZE, size >>> 0, true);
  for (let i = 0; i < table.length; i++) v.setUint32(I_RING + 4 * i, table[i] >>> 0, true);
  return p.ioctl(buf);
}

/** `-X equal N [start S]`: entry i is S + i mod N. */
export function indirEqual(size: number, n: number, start = 0): number[] {
  return Array.from({ length: size }, (_, i) => start + (i % n));
}

/**
 * `-X weight W…`: queues in proportion to their weights, as ethtool fills the table. 'zero':
 * every weight is 0; 'too-big': the weights sum to more than the table has entries.
 */
export function indirWeights(size: number, weights: readonly number[], start = 0): number[] | 'zero' | 'too-big' {
  // ethtool sums in a u32.
  const sum = weights.reduce((a, w) => (a + w) >>> 0, 0);
  if (sum === 0) return 'zero';
  if (sum > size) return 'too-big';
  const out: number[] = [];
  let j = -1, partial = 0;
  for (let i = 0; i < size; i++) {
    // C: i >= size * partial / sum, in u32 arithmetic.
    while (i >= Math.floor(((size * partial) >>> 0) / sum)) {
      j++;
      partial = (partial + weights[j]) >>> 0;
    }
    out.push(start + j);
  }
  return out;
}

export { ETH_RXFH_INDIR_NO_CHANGE };

// ---- flow types and hash fields ------------------------------------------------------------------

/** The flow types -n/-N rx-flow-hash take (rxflow_str_to_type), by name. */
export const HASH_FLOWS: Readonly<Record<string, number>> = {
  tcp4: FLOW.TCP_V4, udp4: FLOW.UDP_V4, ah4: FLOW.AH_ESP_V4, esp4: FLOW.AH_ESP_V4, sctp4: FLOW.SCTP_V4,
  tcp6: FLOW.TCP_V6, udp6: FLOW.UDP_V6, ah6: FLOW.AH_ESP_V6, esp6: FLOW.AH_ESP_V6, sctp6: FLOW.SCTP_V6,
  ether: FLOW.ETHER,
};

/** How ethtool names a hashed flow type ("" for one it has no words for). */
export function hashFlowLabel(flowType: number): string {
  switch (flowType & ~FLOW_FLAG.RSS) {
    case FLOW.TCP_V4: return 'TCP over IPV4 flows';
    case FLOW.UDP_V4: return 'UDP over IPV4 flows';
    case FLOW.SCTP_V4: return 'SCTP over IPV4 flows';
    case FLOW.AH_ESP_V4: case FLOW.AH_V4: case FLOW.ESP_V4: return 'IPSEC AH/ESP over IPV4 flows';
    case FLOW.TCP_V6: return 'TCP over IPV6 flows';
    case FLOW.UDP_V6: return 'UDP over IPV6 flows';
    case FLOW.SCTP_V6: return 'SCTP over IPV6 flows';
    case FLOW.AH_ESP_V6: case FLOW.AH_V6: case FLOW.ESP_V6: return 'IPSEC AH/ESP over IPV6 flows';
    default: return '';
  }
}

/** The hash field letters of -N rx-flow-hash, in the order ethtool prints the fields; r: discard. */
export const RXH_FIELDS: readonly { letter: string; bit: number; label: string; name: string }[] = [
  { letter: 'm', bit: RXH.L2DA, label: 'L2DA', name: 'l2da' },
  { letter: 'v', bit: RXH.VLAN, label: 'VLAN tag', name: 'vlan' },
  { letter: 't', bit: RXH.L3_PROTO, label: 'L3 proto', name: 'l3-proto' },
  { letter: 's', bit: RXH.IP_SRC, label: 'IP SA', name: 'ip-src' },
  { letter: 'd', bit: RXH.IP_DST, label: 'IP DA', name: 'ip-dst' },
  { letter: 'f', bit: RXH.L4_B_0_1, label: 'L4 bytes 0 & 1 [TCP/UDP src port]', name: 'l4-src' },
  { letter: 'n', bit: RXH.L4_B_2_3, label: 'L4 bytes 2 & 3 [TCP/UDP dst port]', name: 'l4-dst' },
  { letter: 'r', bit: RXH.DISCARD, label: 'discard', name: 'discard' },
];

/** parse_rxfhashopts: the RXH_* word of a string of field letters; null for any other letter. */
export function rxhFromLetters(s: string): number | null {
  let data = 0;
  for (const ch of s) {
    const f = RXH_FIELDS.find(x => x.letter === ch);
    if (!f) return null;
    data |= f.bit;
  }
  return data >>> 0;
}

/** The letters of an RXH_* word (in ethtool's order: m v t s d f n r). */
export function rxhLetters(data: number): string {
  return RXH_FIELDS.filter(f => (data & f.bit) !== 0).map(f => f.letter).join('');
}

// ---- classification rules -----------------------------------------------------------------------

/** The flow types a rule takes (-N flow-type), by name. */
export const RULE_FLOWS: Readonly<Record<string, number>> = {
  tcp4: FLOW.TCP_V4, udp4: FLOW.UDP_V4, sctp4: FLOW.SCTP_V4, ah4: FLOW.AH_V4, esp4: FLOW.ESP_V4, ip4: FLOW.IPV4_USER,
  tcp6: FLOW.TCP_V6, udp6: FLOW.UDP_V6, sctp6: FLOW.SCTP_V6, ah6: FLOW.AH_V6, esp6: FLOW.ESP_V6, ip6: FLOW.IPV6_USER,
  ether: FLOW.ETHER,
};

/** RULE_FLOWS the other way: a rule's flow type → its -N flow-type name. */
const RULE_FLOW_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(RULE_FLOWS).map(([name, ft]) => [ft, name]));

export type RuleOptType = 'u8' | 'u32' | 'u64' | 'ring_vf' | 'ring_queue' | 'be16' | 'be32' | 'be64' | 'ip4' | 'ip6' | 'mac';

/** ethtool's NFC_FLAG_* / NTUPLE_FLAG_* bits: each keyword once, and which imply FLOW_EXT / FLOW_MAC_EXT. */
export const RULE_FLAG = {
  RING: 0x0001, LOC: 0x0002, SADDR: 0x0004, DADDR: 0x0008, SPORT: 0x0010, DPORT: 0x0020, SPI: 0x0030,
  TOS: 0x0040, PROTO: 0x0080, VLAN: 0x0100, UDEF: 0x0200, VETH: 0x0400, MAC_ADDR: 0x0800, RING_VF: 0x1000,
  RING_QUEUE: 0x2000,
} as const;

export interface RuleOpt {
  readonly name: string;
  readonly type: RuleOptType;
  readonly flag: number;
  /** Offset of the value in struct ethtool_rx_flow_spec; of its mask (-1: none). */
  readonly h: number;
  readonly m: number;
}

const FS = S.ethtool_rx_flow_spec;
const FS_HU = off(FS, 'h_u'), FS_MU = off(FS, 'm_u'), FS_HEXT = off(FS, 'h_ext'), FS_MEXT = off(FS, 'm_ext');
const FS_COOKIE = off(FS, 'ring_cookie'), FS_LOCATION = off(FS, 'location');

const F = RULE_FLAG;
/**
 * The keywords of one part of the flow spec: value at `h` + the field's offset in `l` (+ `plus`
 * bytes), mask at `m` + the same. u: the flow union (h_u/m_u, of the flow type's struct);
 * x: the extension (h_ext/m_ext, struct ethtool_flow_ext).
 */
const part = (h: number, m: number) => (name: string, type: RuleOptType, flag: number, l: StructLayout, field: string, plus = 0): RuleOpt =>
  ({ name, type, flag, h: h + off(l, field) + plus, m: m + off(l, field) + plus });
const u = part(FS_HU, FS_MU);
const x = part(FS_HEXT, FS_MEXT);
const FX = S.ethtool_flow_ext;
const ACTIONS: readonly RuleOpt[] = [
  { name: 'action', type: 'u64', flag: F.RING, h: FS_COOKIE, m: -1 },
  { name: 'vf', type: 'ring_vf', flag: F.RING_VF, h: FS_COOKIE, m: -1 },
  { name: 'queue', type: 'ring_queue', flag: F.RING_QUEUE, h: FS_COOKIE, m: -1 },
  { name: 'loc', type: 'u32', flag: F.LOC, h: FS_LOCATION, m: -1 },
];
const VLAN_ETYPE = x('vlan-etype', 'be16', F.VETH, FX, 'vlan_etype'), USER_DEF = x('user-def', 'be64', F.UDEF, FX, 'data');
const EXT: readonly RuleOpt[] = [VLAN_ETYPE, x('vlan', 'be16', F.VLAN, FX, 'vlan_tci'), USER_DEF];
const EXT_MAC = x('dst-mac', 'mac', F.MAC_ADDR, FX, 'h_dest');

const T4 = S.ethtool_tcpip4_spec, E4 = S.ethtool_ah_espip4_spec, U4 = S.ethtool_usrip4_spec;
const T6 = S.ethtool_tcpip6_spec, E6 = S.ethtool_ah_espip6_spec, U6 = S.ethtool_usrip6_spec, EH = S.ethhdr;

/** The keywords of each flow type, in ethtool's table order (its first match wins). */
const RULE_TABLES: Readonly<Record<string, readonly RuleOpt[]>> = {
  tcp4: [u('src-ip', 'ip4', F.SADDR, T4, 'ip4src'), u('dst-ip', 'ip4', F.DADDR, T4, 'ip4dst'), u('tos', 'u8', F.TOS, T4, 'tos'),
    u('src-port', 'be16', F.SPORT, T4, 'psrc'), u('dst-port', 'be16', F.DPORT, T4, 'pdst'), ...ACTIONS, ...EXT, EXT_MAC],
  esp4: [u('src-ip', 'ip4', F.SADDR, E4, 'ip4src'), u('dst-ip', 'ip4', F.DADDR, E4, 'ip4dst'), u('tos', 'u8', F.TOS, E4, 'tos'),
    u('spi', 'be32', F.SPI, E4, 'spi'), ...ACTIONS, ...EXT, EXT_MAC],
  ip4: [u('src-ip', 'ip4', F.SADDR, U4, 'ip4src'), u('dst-ip', 'ip4', F.DADDR, U4, 'ip4dst'), u('tos', 'u8', F.TOS, U4, 'tos'),
    u('l4proto', 'u8', F.PROTO, U4, 'proto'), u('l4data', 'be32', F.SPI, U4, 'l4_4_bytes'), u('spi', 'be32', F.SPI, U4, 'l4_4_bytes'),
    u('src-port', 'be16', F.SPORT, U4, 'l4_4_bytes'), u('dst-port', 'be16', F.DPORT, U4, 'l4_4_bytes', 2), ...ACTIONS, ...EXT, EXT_MAC],
  tcp6: [u('src-ip', 'ip6', F.SADDR, T6, 'ip6src'), u('dst-ip', 'ip6', F.DADDR, T6, 'ip6dst'), u('tclass', 'u8', F.TOS, T6, 'tclass'),
    u('src-port', 'be16', F.SPORT, T6, 'psrc'), u('dst-port', 'be16', F.DPORT, T6, 'pdst'), ...ACTIONS, ...EXT, EXT_MAC],
  esp6: [u('src-ip', 'ip6', F.SADDR, E6, 'ip6src'), u('dst-ip', 'ip6', F.DADDR, E6, 'ip6dst'), u('tclass', 'u8', F.TOS, E6, 'tclass'),
    u('spi', 'be32', F.SPI, E6, 'spi'), ...ACTIONS, ...EXT, EXT_MAC],
  ip6: [u('src-ip', 'ip6', F.SADDR, U6, 'ip6src'), u('dst-ip', 'ip6', F.DADDR, U6, 'ip6dst'), u('tclass', 'u8', F.TOS, U6, 'tclass'),
    u('l4proto', 'u8', F.PROTO, U6, 'l4_proto'), u('l4data', 'be32', F.SPI, U6, 'l4_4_bytes'), u('spi', 'be32', F.SPI, U6, 'l4_4_bytes'),
    u('src-port', 'be16', F.SPORT, U6, 'l4_4_bytes'), u('dst-port', 'be16', F.DPORT, U6, 'l4_4_bytes', 2), ...ACTIONS, ...EXT, EXT_MAC],
  ether: [u('src', 'mac', F.SADDR, EH, 'h_source'), u('dst', 'mac', F.DADDR, EH, 'h_dest'), u('proto', 'be16', F.PROTO, EH, 'h_proto'),
    ...ACTIONS, ...EXT],
};

/** The keyword table of a rule's flow type (by -N flow-type name). */
export function ruleOptions(flowName: string): readonly RuleOpt[] {
  switch (flowName) {
    case 'tcp4': case 'udp4': case 'sctp4': return RULE_TABLES.tcp4;
    case 'ah4': case 'esp4': return RULE_TABLES.esp4;
    case 'tcp6': case 'udp6': case 'sctp6': return RULE_TABLES.tcp6;
    case 'ah6': case 'esp6': return RULE_TABLES.esp6;
    default: return RULE_TABLES[flowName] ?? [];
  }
}

/** A new rule's flow spec: the flow type, every field unmatched, location RX_CLS_LOC_ANY. */
export function newFlowSpec(flowType: number): Uint8Array {
  const fs = new Uint8Array(FLOW_SPEC_SIZE);
  const v = dv(fs);
  v.setUint32(0, flowType >>> 0, true);
  v.setUint32(FS_LOCATION, RX_CLS_LOC.ANY, true);
  return fs;
}

/** A value of a rule keyword: a number (BigInt for 64-bit ones) or address bytes. */
export type RuleValue = bigint | Uint8Array;

const BITS: Record<RuleOptType, number> = { u8: 8, u32: 32, u64: 64, ring_vf: 8, ring_queue: 32, be16: 16, be32: 32, be64: 64, ip4: 32, ip6: 128, mac: 48 };

/** How many bits a keyword's number may have (ethtool refuses larger ones). */
export function ruleOptBits(o: RuleOpt): number { return BITS[o.type]; }

function writeBE(fs: Uint8Array, at: number, bytes: number, v: bigint): void {
  for (let i = bytes - 1; i >= 0; i--) { fs[at + i] = Number(v & 0xffn); v >>= 8n; }
}

function writeNum(fs: Uint8Array, at: number, type: RuleOptType, v: bigint): void {
  const d = dv(fs);
  switch (type) {
    case 'u8': fs[at] = Number(v & 0xffn); return;
    case 'u32': d.setUint32(at, Number(v & 0xffffffffn), true); return;
    case 'u64': d.setBigUint64(at, BigInt.asUintN(64, v), true); return;
    case 'be16': writeBE(fs, at, 2, v); return;
    case 'be32': writeBE(fs, at, 4, v); return;
    case 'be64': writeBE(fs, at, 8, v); return;
    default: throw new Error(`${type} is not a number field`);
  }
}

const WIDTH: Partial<Record<RuleOptType, number>> = { u8: 1, u32: 4, u64: 8, be16: 2, be32: 4, be64: 8, ip4: 4, ip6: 16, mac: 6 };

/**
 * Set keyword `o` to `v` (rxclass_get_val): the value, and its mask to "match every bit". The
 * queue and VF share ring_cookie. Address types take bytes in network order.
 */
export function setRuleValue(fs: Uint8Array, o: RuleOpt, v: RuleValue): void {
  const d = dv(fs);
  if (o.type === 'ring_vf' || o.type === 'ring_queue') {
    let c = d.getBigUint64(o.h, true);
    const n = v as bigint;
    if (o.type === 'ring_vf') c = (c & ~RX_FLOW_SPEC.RING_VF) | ((n + 1n) << RX_FLOW_SPEC.RING_VF_OFF);
    else c = (c & ~RX_FLOW_SPEC.RING) | n;
    d.setBigUint64(o.h, BigInt.asUintN(64, c), true);
    return;
  }
  if (v instanceof Uint8Array) fs.set(v.subarray(0, WIDTH[o.type]), o.h);
  else writeNum(fs, o.h, o.type, v);
  if (o.m >= 0) {
    // ethtool writes its all-ones mask as the field's type: a MAC copies 6 bytes of ~0ULL.
    fs.fill(0xff, o.m, o.m + WIDTH[o.type]!);
  }
}

/** Set keyword `o`'s mask from the user's mask `v` (bits set: ignored), stored inverted (rxclass_get_mask). */
export function setRuleMask(fs: Uint8Array, o: RuleOpt, v: RuleValue): void {
  const w = WIDTH[o.type]!;
  if (v instanceof Uint8Array) {
    for (let i = 0; i < w; i++) fs[o.m + i] = ~v[i] & 0xff;
    return;
  }
  writeNum(fs, o.m, o.type, BigInt.asUintN(w * 8, ~v));
}

/** The problem with a rule's keywords as a whole (ethtool's wording), or null. */
export function ruleFlagsProblem(flags: number): string | null {
  if ((flags & F.RING) && (flags & F.RING_QUEUE)) return 'action and queue are not compatible';
  if ((flags & F.RING) && (flags & F.RING_VF)) return 'action and vf are not compatible';
  return null;
}

/** The end of parsing: ip_ver for ip4, FLOW_EXT / FLOW_MAC_EXT from the keywords seen, FLOW_RSS for a context. */
export function finishFlowSpec(fs: Uint8Array, flags: number, rss: boolean): void {
  const d = dv(fs);
  let ft = d.getUint32(0, true);
  if ((ft & 0xff) === FLOW.IPV4_USER) fs[FS_HU + off(U4, 'ip_ver')] = ETH_RX_NFC_IP4;
  if (flags & (F.VLAN | F.UDEF | F.VETH)) ft |= FLOW_FLAG.EXT;
  if (flags & F.MAC_ADDR) ft |= FLOW_FLAG.MAC_EXT;
  if (rss) ft |= FLOW_FLAG.RSS;
  d.setUint32(0, ft >>> 0, true);
}

export function flowSpecLocation(fs: Uint8Array): number { return dv(fs).getUint32(FS_LOCATION, true); }
export function setFlowSpecLocation(fs: Uint8Array, loc: number): void { dv(fs).setUint32(FS_LOCATION, loc >>> 0, true); }

/**
 * flow_spec_to_ntuple's test: can the rule go as an n-tuple filter (no location, no MAC
 * extension, an action that fits, vlan-etype and user-def not both, an IPv4 or Ethernet type)?
 */
export function ntupleConvertible(fs: Uint8Array): boolean {
  const d = dv(fs);
  const ft = d.getUint32(0, true);
  if (flowSpecLocation(fs) !== RX_CLS_LOC.ANY) return false;
  if (ft & FLOW_FLAG.MAC_EXT) return false;
  const cookie = d.getBigUint64(FS_COOKIE, true);
  if (cookie > 0x7fffffffn && cookie < 0xfffffffffffffffen) return false;
  const extOff = USER_DEF.m, etOff = VLAN_ETYPE.m;
  const mdata = d.getUint32(extOff, true) || d.getUint32(extOff + 4, true);
  if ((ft & FLOW_FLAG.EXT) && mdata && d.getUint16(etOff, true)) return false;
  const base = (ft & ~FLOW_FLAG.EXT) >>> 0;
  return [FLOW.TCP_V4, FLOW.UDP_V4, FLOW.SCTP_V4, FLOW.AH_V4, FLOW.ESP_V4, FLOW.IPV4_USER, FLOW.ETHER].includes(base as 1);
}

// ---- a rule, decoded -------------------------------------------------------------------------------

/** A field of a rule: its value and mask, the mask in ethtool's sense (bits set: ignored). */
export interface RuleField { value: bigint | Uint8Array; mask: bigint | Uint8Array }

export type RuleAction = { kind: 'drop' } | { kind: 'wake' } | { kind: 'queue'; queue: bigint; vf: bigint | null };

export interface DecodedRule {
  location: number;
  /** flow_type without FLOW_EXT / FLOW_MAC_EXT / FLOW_RSS. */
  flowType: number;
  /** The -N flow-type name, or null for a type ethtool has none for. */
  flowName: string | null;
  ext: boolean;
  macExt: boolean;
  rss: boolean;
  rssContext: number;
  /** usr_ip4_spec.ip_ver (IPV4_USER_FLOW). */
  ipVer: number;
  /** The flow fields by keyword (src-ip, dst-port, tos …; for ether: src, dst, proto). */
  fields: Record<string, RuleField>;
  /** FLOW_EXT: vlan-etype, vlan, user-def; FLOW_MAC_EXT: dst-mac (its mask as the kernel holds it). */
  ext_fields: Record<string, RuleField>;
  action: RuleAction;
}

function readBE(fs: Uint8Array, at: number, bytes: number): bigint {
  let v = 0n;
  for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(fs[at + i]);
  return v;
}

/** Decode a rule the kernel returned (GRXCLSRULE) into its fields, as ethtool reads them. */
export function decodeRule(fs: Uint8Array, rssContext: number): DecodedRule {
  const d = dv(fs);
  const ftRaw = d.getUint32(0, true);
  const flowType = (ftRaw & ~(FLOW_FLAG.EXT | FLOW_FLAG.MAC_EXT | FLOW_FLAG.RSS)) >>> 0;
  const flowName = RULE_FLOW_NAMES.get(flowType) ?? null;
  const fields: Record<string, RuleField> = {};
  const read = (o: RuleOpt, at: number): bigint | Uint8Array => {
    const w = WIDTH[o.type]!;
    if (o.type === 'ip4' || o.type === 'ip6' || o.type === 'mac') return fs.slice(at, at + w);
    if (o.type === 'u8') return BigInt(fs[at]);
    return readBE(fs, at, w);
  };
  const inv = (v: bigint | Uint8Array, w: number): bigint | Uint8Array =>
    v instanceof Uint8Array ? v.map(b => ~b & 0xff) : BigInt.asUintN(w * 8, ~v);
  if (flowName) {
    for (const o of ruleOptions(flowName)) {
      if (o.m < 0 || o.h >= FS_HEXT && o.h < FS_MU) continue;
      // ip4/ip6's l4data and spi, src-port and dst-port share words: the first keyword names them.
      if (flowName === 'ip4' || flowName === 'ip6') { if (['spi', 'src-port', 'dst-port'].includes(o.name)) continue; }
      fields[o.name] = { value: read(o, o.h), mask: inv(read(o, o.m), WIDTH[o.type]!) };
    }
  }
  const ext_fields: Record<string, RuleField> = {};
  if (ftRaw & FLOW_FLAG.EXT) {
    for (const o of EXT) ext_fields[o.name] = { value: readBE(fs, o.h, WIDTH[o.type]!), mask: BigInt.asUintN(WIDTH[o.type]! * 8, ~readBE(fs, o.m, WIDTH[o.type]!)) };
  }
  if (ftRaw & FLOW_FLAG.MAC_EXT) ext_fields['dst-mac'] = { value: fs.slice(EXT_MAC.h, EXT_MAC.h + 6), mask: fs.slice(EXT_MAC.m, EXT_MAC.m + 6) };
  const cookie = d.getBigUint64(FS_COOKIE, true);
  let action: RuleAction;
  if (cookie === RX_CLS_FLOW_DISC) action = { kind: 'drop' };
  else if (cookie === RX_CLS_FLOW_WAKE) action = { kind: 'wake' };
  else {
    const vf = (cookie & RX_FLOW_SPEC.RING_VF) >> RX_FLOW_SPEC.RING_VF_OFF;
    action = { kind: 'queue', queue: cookie & RX_FLOW_SPEC.RING, vf: vf ? vf - 1n : null };
  }
  return {
    location: d.getUint32(FS_LOCATION, true), flowType, flowName,
    ext: (ftRaw & FLOW_FLAG.EXT) !== 0, macExt: (ftRaw & FLOW_FLAG.MAC_EXT) !== 0, rss: (ftRaw & FLOW_FLAG.RSS) !== 0,
    rssContext, ipVer: fs[FS_HU + off(U4, 'ip_ver')], fields, ext_fields, action,
  };
}
