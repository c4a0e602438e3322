/**
 * The ioctl operations, each built and decoded here and nowhere else: a request builder and a
 * reply decoder per SIOCETHTOOL command (and the multi-call handshakes: string sets, link
 * settings, statistics, self-test), answering the errno instead of throwing and holding no
 * policy. Two policies sit on top: the CLI's (ethtool's exact request order, errno kept for its
 * messages and exit codes) and the typed device API's (typed results, EthtoolError, retries).
 *
 * Memory safety: string, stats and test buffers are sized from a fresh count, and the count the
 * kernel returns is checked before any value is read. Those requests are made from buffers
 * that end at a guard page (Port.alloc, or the transport's guarded bounce area), so a driver
 * whose count grew between the two calls makes the kernel stop with EFAULT after writing its
 * new count: reported as `moved`, never an overrun.
 */
import { decode, encode, request, readCString, StructLayout, Decoded, FieldValue } from './layout';
import * as S from './structs';
import { ETHTOOL, ETH_SS, LINK_MODE_MASK_MAX_KERNEL_NU32 } from './constants';
import { ERRNO } from './errno';
import type { Port } from './transport';
import type { LinkSettings } from './types';

export type { Port } from './transport';

/** An answer: the value, or the errno the kernel gave. */
export type Res<T> = { ok: true; v: T } | { ok: false; errno: number };

const fail = (errno: number): { ok: false; errno: number } => ({ ok: false, errno });

export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const off = (layout: StructLayout, field: string): number => layout.byName[field].offset;

// ---- fixed-size structs and plain values ----------------------------------------------------

/** GET of a fixed struct whose first u32 is the command; `buf` is the reply as the kernel filled it. */
export function getStruct<T = Record<string, number>>(p: Port, layout: StructLayout, cmd: number, reuse?: Uint8Array): Res<T> & { buf?: Uint8Array } {
  const buf = request(layout, cmd, 0, reuse ? () => reuse : undefined);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  return { ok: true, v: decode(layout, buf) as unknown as T, buf };
}

/** SET of a fixed struct from values (its `cmd` member, if given, is ignored). The kernel's answer or -errno. */
export function setStruct(p: Port, layout: StructLayout, cmd: number, values: Readonly<Record<string, FieldValue | undefined>>): number {
  const buf = request(layout, cmd);
  const { cmd: _cmd, ...rest } = values;
  encode(layout, rest, buf);
  return p.ioctl(buf);
}

const VALUE_DATA = off(S.ethtool_value, 'data');

/** The buffer of an ethtool_value request ({cmd, data}). */
export function valueRequest(cmd: number, data = 0): Uint8Array {
  const buf = request(S.ethtool_value, cmd);
  view(buf).setUint32(VALUE_DATA, data >>> 0, true);
  return buf;
}

/** An ethtool_value request: GLINK, GMSGLVL, NWAY_RST, PHYS_ID, the legacy offloads … */
export function value(p: Port, cmd: number, data = 0): { r: number; data: number } {
  const buf = valueRequest(cmd, data);
  const r = p.ioctl(buf);
  return { r, data: view(buf).getUint32(VALUE_DATA, true) };
}

// ---- tunables --------------------------------------------------------------------------------

/** ETHTOOL_TUNABLE_* value types: their size in bytes and signedness. */
export const TUNABLE_TYPES: Readonly<Record<number, { size: number; signed: boolean }>> = {
  1: { size: 1, signed: false }, 2: { size: 2, signed: false }, 3: { size: 4, signed: false }, 4: { size: 8, signed: false },
  5: { size: 1, signed: true }, 6: { size: 2, signed: true }, 7: { size: 4, signed: true }, 8: { size: 8, signed: true },
};

export interface Tunable { id: number; type_id: number; len: number; value: bigint | null }

const TUNABLE_DATA = S.ethtool_tunable.flex!.offset;

/** The GTUNABLE / STUNABLE / PHY_GTUNABLE / PHY_STUNABLE request: header, then `len` value bytes. */
export function tunableRequest(cmd: number, id: number, typeId: number, len: number, value = 0n): Uint8Array {
  const buf = request(S.ethtool_tunable, cmd, len);
  encode(S.ethtool_tunable, { id, type_id: typeId, len }, buf);
  const v = view(buf);
  for (let i = 0; i < len; i++) v.setUint8(TUNABLE_DATA + i, Number((BigInt.asUintN(64, value) >> BigInt(8 * i)) & 0xffn));
  return buf;
}

/** The reply's value as its type reads it (null for a type ethtool does not know). */
export function tunableDecode(buf: Uint8Array): Tunable {
  const v = view(buf);
  const id = v.getUint32(4, true), typeId = v.getUint32(8, true), len = v.getUint32(12, true);
  const t = TUNABLE_TYPES[typeId];
  if (!t || buf.byteLength < TUNABLE_DATA + t.size) return { id, type_id: typeId, len, value: null };
  let x = 0n;
  for (let i = 0; i < t.size; i++) x |= BigInt(v.getUint8(TUNABLE_DATA + i)) << BigInt(8 * i);
  return { id, type_id: typeId, len, value: t.signed ? BigInt.asIntN(8 * t.size, x) : x };
}

/** A tunable's GET (GTUNABLE or PHY_GTUNABLE). */
export function getTunable(p: Port, cmd: number, id: number, typeId: number, len: number): Res<Tunable> {
  const buf = tunableRequest(cmd, id, typeId, len);
  const r = p.ioctl(buf);
  return r < 0 ? fail(-r) : { ok: true, v: tunableDecode(buf) };
}

/** A tunable's SET (STUNABLE or PHY_STUNABLE): the kernel's answer or -errno. */
export function setTunable(p: Port, cmd: number, id: number, typeId: number, len: number, value: bigint): number {
  return p.ioctl(tunableRequest(cmd, id, typeId, len, value));
}

// ---- string sets ----------------------------------------------------------------------------

/** The GDRVINFO count that stands in for GSSET_INFO on drivers without it. */
export type DrvinfoCount = 'n_stats' | 'testinfo_len' | 'n_priv_flags';

/** The member of ethtool_drvinfo that counts string set `ss`, where there is one. */
export function drvinfoCountOf(ss: number): DrvinfoCount | null {
  return ss === ETH_SS.STATS ? 'n_stats' : ss === ETH_SS.TEST ? 'testinfo_len' : ss === ETH_SS.PRIV_FLAGS ? 'n_priv_flags' : null;
}

/** How many strings set `ss` has: GSSET_INFO, or (EOPNOTSUPP and `fallback`) GDRVINFO's count. */
export function stringCount(p: Port, ss: number, fallback: DrvinfoCount | null): Res<number> {
  const I = S.ethtool_sset_info;
  const buf = request(I, ETHTOOL.GSSET_INFO, 4);
  const maskOff = off(I, 'sset_mask');
  view(buf).setBigUint64(maskOff, 1n << BigInt(ss), true);
  const r = p.ioctl(buf);
  if (r >= 0) return { ok: true, v: view(buf).getBigUint64(maskOff, true) !== 0n ? view(buf).getUint32(I.flex!.offset, true) : 0 };
  if (-r !== ERRNO.EOPNOTSUPP || !fallback) return fail(-r);
  const d = getStruct<Record<DrvinfoCount, number>>(p, S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
  return d.ok ? { ok: true, v: d.v[fallback] } : d;
}

/** An answer that may also be "the driver's count changed since we sized the buffer": ask again. */
export type Counted<T> = Res<T> | { ok: false; moved: true; errno: number };

/**
 * A failed count-sized request whose reply header shows another count than the one asked for:
 * the kernel wrote the driver's new count and then hit the guard page at the end of the buffer
 * (or answered with a count it could not fill). Not an error: the count changed.
 */
function moved(r: number, got: number, asked: number): boolean {
  return (r === -ERRNO.EFAULT || r >= 0) && got !== asked;
}

function allocFor(p: Port, n: number): Uint8Array {
  return p.alloc ? p.alloc(n) : new Uint8Array(n);
}

/**
 * GSTRINGS for `n` strings of set `ss`. Names keep all 32 bytes unless `nulTerminate` cuts them
 * at byte 31, as ethtool does for feature names.
 */
export function readStrings(p: Port, ss: number, n: number, nulTerminate = false): Counted<string[]> {
  const G = S.ethtool_gstrings;
  const buf = request(G, ETHTOOL.GSTRINGS, n * S.ETH_GSTRING_LEN, size => allocFor(p, size));
  encode(G, { string_set: ss, len: n }, buf);
  const r = p.ioctl(buf);
  const len = view(buf).getUint32(off(G, 'len'), true);
  if (moved(r, len, n)) return { ok: false, moved: true, errno: r < 0 ? -r : ERRNO.EAGAIN };
  if (r < 0) return fail(-r);
  const names: string[] = new Array(n);
  const max = nulTerminate ? S.ETH_GSTRING_LEN - 1 : S.ETH_GSTRING_LEN;
  for (let i = 0; i < n; i++) names[i] = readCString(buf, G.flex!.offset + i * S.ETH_GSTRING_LEN, max);
  return { ok: true, v: names };
}

export interface StringSetOptions {
  /** The GDRVINFO count to use where GSSET_INFO is not supported. */
  fallback: DrvinfoCount | null;
  nulTerminate?: boolean;
}

/** How often a caller reads a count-sized reply before giving up on a count that keeps moving. */
export const COUNT_ATTEMPTS = 4;

/**
 * A whole string set, as ethtool reads it: the count, then (for a non-empty set) GSTRINGS;
 * counted again when the count moves under us, EAGAIN when it keeps moving.
 */
export function stringSet(p: Port, ss: number, o: StringSetOptions): Res<string[]> {
  for (let attempt = 0; ; attempt++) {
    const n = stringCount(p, ss, o.fallback);
    if (!n.ok) return n;
    if (n.v === 0) return { ok: true, v: [] };
    const got = readStrings(p, ss, n.v, o.nulTerminate);
    if (got.ok || !('moved' in got)) return got;
    if (attempt + 1 >= COUNT_ATTEMPTS) return fail(ERRNO.EAGAIN);
  }
}

// ---- statistics -------------------------------------------------------------------------------

/**
 * A reusable GSTATS / GPHYSTATS request for `n` counters: `values` views the reply's u64s in
 * place (valid until the next call), so a reader that keeps the request allocates nothing.
 */
export class StatsRequest {
  readonly buf: Uint8Array;
  readonly values: BigUint64Array;
  private readonly dv: DataView;
  private static readonly N = off(S.ethtool_stats, 'n_stats');

  constructor(p: Port, readonly cmd: number, readonly n: number) {
    const T = S.ethtool_stats;
    this.buf = allocFor(p, T.size + 8 * n);
    this.buf.fill(0);
    this.dv = view(this.buf);
    this.dv.setUint32(0, cmd, true);
    this.values = new BigUint64Array(this.buf.buffer, this.buf.byteOffset + T.flex!.offset, n);
  }

  /**
   * Issue it: 0 (values filled), STATS_MOVED (the driver's count changed), or the errno. A
   * number, not an answer object: readers call this on every tick and allocate nothing.
   */
  read(p: Port): number {
    this.dv.setUint32(StatsRequest.N, this.n, true);
    const r = p.ioctl(this.buf);
    const got = this.dv.getUint32(StatsRequest.N, true);
    if (moved(r, got, this.n)) return STATS_MOVED;
    return r < 0 ? -r : 0;
  }
}

/** StatsRequest.read(): the driver's count changed since the request was sized. */
export const STATS_MOVED = -1;

// ---- link settings ----------------------------------------------------------------------------

/** Link settings as read, with the reply itself: a SET is this buffer with the changes written in. */
export interface LinkRead extends LinkSettings {
  buf: Uint8Array;
  nwords: number;
}

const L = S.ethtool_link_settings;
const C = S.ethtool_cmd;
const NWORDS = off(L, 'link_mode_masks_nwords');

/**
 * GLINKSETTINGS with its mask-size handshake (a first call with nwords 0 is answered with
 * -(words the kernel needs)), else the legacy GSET — ethtool's rule: any failure of the
 * handshake falls back to GSET, whose errno is the answer.
 */
export function readLink(p: Port): Res<LinkRead> {
  const room = 3 * 4 * LINK_MODE_MASK_MAX_KERNEL_NU32;
  const probe = request(L, ETHTOOL.GLINKSETTINGS, room);
  let r = p.ioctl(probe);
  if (r >= 0 && view(probe).getInt8(NWORDS) < 0 && view(probe).getUint32(0, true) === ETHTOOL.GLINKSETTINGS) {
    const need = -view(probe).getInt8(NWORDS);
    const buf = request(L, ETHTOOL.GLINKSETTINGS, room);
    view(buf).setInt8(NWORDS, need);
    r = p.ioctl(buf);
    const got = view(buf).getInt8(NWORDS);
    if (r >= 0 && got > 0 && view(buf).getUint32(0, true) === ETHTOOL.GLINKSETTINGS) {
      const d = decode(L, buf) as Record<string, number>;
      const words = (k: number): number[] => {
        const out: number[] = [];
        for (let i = 0; i < got; i++) out.push(view(buf).getUint32(L.flex!.offset + 4 * (k * got + i), true));
        return out;
      };
      return {
        ok: true, v: {
          legacy: false, buf, nwords: got,
          speed: d.speed, duplex: d.duplex, port: d.port, phy_address: d.phy_address, autoneg: d.autoneg,
          mdio_support: d.mdio_support, eth_tp_mdix: d.eth_tp_mdix, eth_tp_mdix_ctrl: d.eth_tp_mdix_ctrl,
          transceiver: d.transceiver, master_slave_cfg: d.master_slave_cfg, master_slave_state: d.master_slave_state,
          rate_matching: d.rate_matching, supported: words(0), advertising: words(1), lp_advertising: words(2),
        },
      };
    }
  }
  const buf = request(C, ETHTOOL.GSET);
  const g = p.ioctl(buf);
  if (g < 0) return fail(-g);
  const c = decode(C, buf) as Record<string, number>;
  return {
    ok: true, v: {
      legacy: true, buf, nwords: 1,
      speed: ((c.speed_hi << 16) | c.speed) >>> 0, duplex: c.duplex, port: c.port, phy_address: c.phy_address,
      autoneg: c.autoneg, mdio_support: c.mdio_support, eth_tp_mdix: c.eth_tp_mdix, eth_tp_mdix_ctrl: c.eth_tp_mdix_ctrl,
      transceiver: c.transceiver, master_slave_cfg: 0, master_slave_state: 0, rate_matching: 0,
      supported: [c.supported], advertising: [c.advertising], lp_advertising: [c.lp_advertising],
    },
  };
}

/**
 * A read as the kernel would have answered it, from plain settings (a snapshot, or values a
 * caller made up): the reply buffer is encoded from the members and masks.
 */
export function linkFromSettings(ls: LinkSettings): LinkRead {
  if (ls.legacy) {
    const buf = request(C, ETHTOOL.GSET);
    encode(C, {
      supported: ls.supported[0] ?? 0, advertising: ls.advertising[0] ?? 0, lp_advertising: ls.lp_advertising[0] ?? 0,
      speed: ls.speed & 0xffff, speed_hi: ls.speed >>> 16, duplex: ls.duplex, port: ls.port, phy_address: ls.phy_address,
      transceiver: ls.transceiver, autoneg: ls.autoneg, mdio_support: ls.mdio_support, eth_tp_mdix: ls.eth_tp_mdix,
      eth_tp_mdix_ctrl: ls.eth_tp_mdix_ctrl,
    }, buf);
    return { ...ls, buf, nwords: 1 };
  }
  const n = ls.supported.length;
  const buf = request(L, ETHTOOL.GLINKSETTINGS, 3 * 4 * n);
  encode(L, {
    speed: ls.speed >>> 0, duplex: ls.duplex, port: ls.port, phy_address: ls.phy_address, autoneg: ls.autoneg,
    mdio_support: ls.mdio_support, eth_tp_mdix: ls.eth_tp_mdix, eth_tp_mdix_ctrl: ls.eth_tp_mdix_ctrl,
    link_mode_masks_nwords: n, transceiver: ls.transceiver, master_slave_cfg: ls.master_slave_cfg,
    master_slave_state: ls.master_slave_state, rate_matching: ls.rate_matching,
  }, buf);
  [ls.supported, ls.advertising, ls.lp_advertising].forEach((words, k) =>
    words.forEach((w, i) => { if (i < n) view(buf).setUint32(L.flex!.offset + 4 * (k * n + i), w >>> 0, true); }));
  return { ...ls, buf, nwords: n };
}

/** What a link SET may change; `transceiver` only through the legacy SSET. */
export interface LinkWrite {
  speed: number; duplex: number; port: number; phy_address: number; autoneg: number;
  eth_tp_mdix_ctrl: number; transceiver?: number; master_slave_cfg?: number;
  advertising: readonly number[];
}

/**
 * The SET that matches a read (SSET for a legacy read, else SLINKSETTINGS): the reply buffer
 * with the changes written in, so every member the change does not name goes back as it came.
 */
export function writeLink(p: Port, link: LinkRead, w: LinkWrite): number {
  const buf = link.buf;
  const dv = view(buf);
  if (link.legacy) {
    const o = C.byName;
    dv.setUint32(0, ETHTOOL.SSET, true);
    dv.setUint16(o.speed.offset, w.speed & 0xffff, true);
    dv.setUint16(o.speed_hi.offset, (w.speed >>> 16) & 0xffff, true);
    dv.setUint8(o.duplex.offset, w.duplex);
    dv.setUint8(o.port.offset, w.port);
    dv.setUint8(o.phy_address.offset, w.phy_address & 0xff);
    if (w.transceiver !== undefined) dv.setUint8(o.transceiver.offset, w.transceiver);
    dv.setUint8(o.autoneg.offset, w.autoneg);
    dv.setUint8(o.eth_tp_mdix_ctrl.offset, w.eth_tp_mdix_ctrl);
    dv.setUint32(o.advertising.offset, (w.advertising[0] ?? 0) >>> 0, true);
  } else {
    const o = L.byName;
    const n = link.nwords;
    dv.setUint32(0, ETHTOOL.SLINKSETTINGS, true);
    dv.setUint32(o.speed.offset, w.speed >>> 0, true);
    dv.setUint8(o.duplex.offset, w.duplex);
    dv.setUint8(o.port.offset, w.port);
    dv.setUint8(o.phy_address.offset, w.phy_address & 0xff);
    dv.setUint8(o.autoneg.offset, w.autoneg);
    dv.setUint8(o.eth_tp_mdix_ctrl.offset, w.eth_tp_mdix_ctrl);
    if (w.master_slave_cfg !== undefined) dv.setUint8(o.master_slave_cfg.offset, w.master_slave_cfg);
    for (let i = 0; i < n; i++) dv.setUint32(L.flex!.offset + 4 * (n + i), (w.advertising[i] ?? 0) >>> 0, true);
  }
  return p.ioctl(buf);
}

// ---- features ---------------------------------------------------------------------------------

/** GFEATURES blocks, one bit per named feature (bit i of word i >> 5). */
export interface FeatureWords {
  available: Uint32Array; requested: Uint32Array; active: Uint32Array; neverChanged: Uint32Array;
}

export function featureBit(words: Uint32Array, i: number): boolean {
  return ((words[i >> 5] >>> (i & 31)) & 1) === 1;
}

/** GFEATURES for `count` features; `size` is the block count the kernel says it has. */
export function getFeatures(p: Port, count: number): Res<FeatureWords & { size: number }> {
  const G = S.ethtool_gfeatures;
  const B = S.ethtool_get_features_block;
  const blocks = Math.ceil(count / 32);
  const buf = request(G, ETHTOOL.GFEATURES, blocks * B.size);
  encode(G, { size: blocks }, buf);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const w: FeatureWords = {
    available: new Uint32Array(blocks), requested: new Uint32Array(blocks),
    active: new Uint32Array(blocks), neverChanged: new Uint32Array(blocks),
  };
  const size = view(buf).getUint32(off(G, 'size'), true);
  for (let b = 0; b < blocks; b++) {
    const d = decode(B, buf, G.flex!.offset + b * B.size) as Record<string, number>;
    w.available[b] = d.available;
    w.requested[b] = d.requested;
    w.active[b] = d.active;
    w.neverChanged[b] = d.never_changed;
  }
  return { ok: true, v: { ...w, size } };
}

/** SFEATURES: change the features whose `valid` bit is set to their `requested` bit. ETHTOOL_F_* bits or -errno. */
export function setFeatures(p: Port, valid: Uint32Array, requested: Uint32Array): number {
  const F = S.ethtool_sfeatures;
  const B = S.ethtool_set_features_block;
  const blocks = valid.length;
  const buf = request(F, ETHTOOL.SFEATURES, blocks * B.size);
  encode(F, { size: blocks }, buf);
  for (let b = 0; b < blocks; b++) encode(B, { valid: valid[b], requested: requested[b] }, buf, F.flex!.offset + b * B.size);
  return p.ioctl(buf);
}

// ---- diagnostics --------------------------------------------------------------------------------

/** TEST with `n` result slots: the flags the driver returned and the results, or moved/errno. */
export function selfTest(p: Port, flags: number, n: number): Counted<{ flags: number; results: BigUint64Array }> {
  const T = S.ethtool_test;
  const buf = request(T, ETHTOOL.TEST, n * 8, size => allocFor(p, size));
  encode(T, { flags, len: n }, buf);
  const r = p.ioctl(buf);
  const d = decode(T, buf) as Record<string, number>;
  if (moved(r, d.len, n)) return { ok: false, moved: true, errno: r < 0 ? -r : ERRNO.EAGAIN };
  if (r < 0) return fail(-r);
  return { ok: true, v: { flags: d.flags, results: new BigUint64Array(buf.slice(T.flex!.offset, T.flex!.offset + 8 * n).buffer) } };
}

/** GREGS with room for `len` bytes: the dump's version and data (as long as the kernel says, at most `len`). */
export function getRegs(p: Port, len: number): Res<{ version: number; data: Uint8Array }> {
  const R = S.ethtool_regs;
  const buf = request(R, ETHTOOL.GREGS, len);
  encode(R, { len }, buf);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const d = decode(R, buf) as Record<string, number>;
  return { ok: true, v: { version: d.version, data: buf.subarray(R.flex!.offset, R.flex!.offset + Math.min(d.len, len)) } };
}

/**
 * GEEPROM of `length` bytes at `offset`. `room` is the data room sent (ethtool sends `length`;
 * a request whose offset + length wraps around is sent with none, as the kernel refuses it first).
 */
export function getEeprom(p: Port, offset: number, length: number, room = length): Res<{ magic: number; offset: number; data: Uint8Array }> {
  const P = S.ethtool_eeprom;
  const buf = request(P, ETHTOOL.GEEPROM, room);
  encode(P, { offset, len: length }, buf);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const d = decode(P, buf) as Record<string, number>;
  const data = buf.subarray(P.flex!.offset, P.flex!.offset + Math.min(d.len, room));
  return { ok: true, v: { magic: d.magic, offset: d.offset, data } };
}

/** GMODULEINFO: the plugged module's EEPROM layout (ETH_MODULE_SFF_*) and length. */
export function getModuleInfo(p: Port): Res<{ type: number; eeprom_len: number }> {
  const got = getStruct<{ type: number; eeprom_len: number }>(p, S.ethtool_modinfo, ETHTOOL.GMODULEINFO);
  return got.ok ? { ok: true, v: { type: got.v.type, eeprom_len: got.v.eeprom_len } } : got;
}

/** GMODULEEEPROM of `length` bytes at `offset` (an ethtool_eeprom, as GEEPROM; `room` as getEeprom's). */
export function getModuleEeprom(p: Port, offset: number, length: number, room = length): Res<{ offset: number; data: Uint8Array }> {
  const P = S.ethtool_eeprom;
  const buf = request(P, ETHTOOL.GMODULEEEPROM, room);
  encode(P, { offset, len: length }, buf);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const d = decode(P, buf) as Record<string, number>;
  const data = buf.slice(P.flex!.offset, P.flex!.offset + Math.min(d.len, room));
  return { ok: true, v: { offset: d.offset, data } };
}

/** MAX_ADDR_LEN of <linux/netdevice.h>: the room GPERMADDR gets. */
export const MAX_ADDR_LEN = 32;

/** GPERMADDR: the permanent hardware address (at most MAX_ADDR_LEN bytes). */
export function getPermAddr(p: Port): Res<Uint8Array> {
  const P = S.ethtool_perm_addr;
  const buf = request(P, ETHTOOL.GPERMADDR, MAX_ADDR_LEN);
  encode(P, { size: MAX_ADDR_LEN }, buf);
  const r = p.ioctl(buf);
  if (r < 0) return fail(-r);
  const size = Math.min(view(buf).getUint32(off(P, 'size'), true), MAX_ADDR_LEN);
  return { ok: true, v: buf.slice(P.flex!.offset, P.flex!.offset + size) };
}

/** The decoded struct without its command member. */
export function withoutCmd<T>(d: Decoded): T {
  const { cmd: _cmd, ...rest } = d;
  return rest as T;
}
