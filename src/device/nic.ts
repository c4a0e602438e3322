/**
 * The typed device API: one method per ethtool operation, over any Transport. Every failure
 * becomes an EthtoolError naming the operation and the device.
 */
import { Transport, ifnameProblem } from '../ffi/transport';
import { decode, encode, request, readCString, StructLayout, FieldValue } from '../ethtool/layout';
import * as S from '../ethtool/structs';
import { ETHTOOL, ETH_SS, ETH_TEST_FL, ETH_FLAG, LINK_MODE_MASK_MAX_KERNEL_NU32 } from '../ethtool/constants';
import { EthtoolError, UsageError, ERRNO } from './errors';
import type {
  DriverInfo, Ring, RingChange, Channels, ChannelsChange, Pause, Coalesce, LinkSettings,
  LinkSettingsChange, WolInfo, FeatureState, LegacyOffloadName, SelfTestMode, SelfTestResult, FecParam,
} from './types';

type Cmd = keyof typeof ETHTOOL;

/** What each command does, in words, for error messages. */
const WHAT: Partial<Record<Cmd, string>> = {
  GSET: 'get link settings', SSET: 'set link settings', GLINKSETTINGS: 'get link settings',
  SLINKSETTINGS: 'set link settings', GDRVINFO: 'get driver info', GREGS: 'get register dump',
  GWOL: 'get wake-on-lan', SWOL: 'set wake-on-lan', GMSGLVL: 'get message level', SMSGLVL: 'set message level',
  NWAY_RST: 'restart autonegotiation', GLINK: 'get link status', GEEPROM: 'get EEPROM',
  GCOALESCE: 'get coalesce settings', SCOALESCE: 'set coalesce settings', GRINGPARAM: 'get ring parameters',
  SRINGPARAM: 'set ring parameters', GPAUSEPARAM: 'get pause parameters', SPAUSEPARAM: 'set pause parameters',
  TEST: 'self-test', GSTRINGS: 'get strings', PHYS_ID: 'identify (LED blink)', GSTATS: 'get statistics',
  GPERMADDR: 'get permanent address', GSSET_INFO: 'get string set info', GFEATURES: 'get features',
  SFEATURES: 'set features', GCHANNELS: 'get channels', SCHANNELS: 'set channels',
  GFECPARAM: 'get FEC settings', SFECPARAM: 'set FEC settings', GFLAGS: 'get offload flags', SFLAGS: 'set offload flags',
};

const MAX_ADDR_LEN = 32;
/** Retries when a driver's string or stat count changes between the count and the read. */
const COUNT_RETRIES = 4;

/** Legacy per-offload ioctls (pre-GFEATURES); flag-backed ones share GFLAGS/SFLAGS. */
const LEGACY: Record<LegacyOffloadName, { get: Cmd; set: Cmd; flag?: number }> = {
  rx: { get: 'GRXCSUM', set: 'SRXCSUM' }, tx: { get: 'GTXCSUM', set: 'STXCSUM' },
  sg: { get: 'GSG', set: 'SSG' }, tso: { get: 'GTSO', set: 'STSO' }, ufo: { get: 'GUFO', set: 'SUFO' },
  gso: { get: 'GGSO', set: 'SGSO' }, gro: { get: 'GGRO', set: 'SGRO' },
  lro: { get: 'GFLAGS', set: 'SFLAGS', flag: ETH_FLAG.LRO }, rxvlan: { get: 'GFLAGS', set: 'SFLAGS', flag: ETH_FLAG.RXVLAN },
  txvlan: { get: 'GFLAGS', set: 'SFLAGS', flag: ETH_FLAG.TXVLAN }, ntuple: { get: 'GFLAGS', set: 'SFLAGS', flag: ETH_FLAG.NTUPLE },
  rxhash: { get: 'GFLAGS', set: 'SFLAGS', flag: ETH_FLAG.RXHASH },
};

function dv(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

const N_STATS_OFFSET = S.ethtool_stats.byName.n_stats.offset;

/**
 * A failed GSTRINGS/GSTATS/TEST whose reply header shows a count other than the one asked
 * for: the kernel wrote its new count and then hit the guard page at the end of our buffer
 * (see src/ffi/koffi.ts). Not an error: the count changed, read again.
 */
function countMoved(r: number, got: number, asked: number): boolean {
  return r === -ERRNO.EFAULT && got !== asked;
}

function strip<T>(d: Record<string, FieldValue>): T {
  const { cmd: _cmd, ...rest } = d;
  return rest as T;
}

export class Nic {
  private driverName: string | undefined;

  constructor(readonly name: string, private readonly t: Transport) {
    const problem = ifnameProblem(name);
    if (problem) throw new UsageError(problem);
  }

  // ---- plumbing -------------------------------------------------------------------------

  /** Issue `buf` (whose first u32 is `cmd`), throwing an EthtoolError on failure. */
  private call(cmd: Cmd, buf: Uint8Array): number {
    const r = this.t.ioctl(this.name, buf);
    if (r < 0) throw this.error(cmd, -r);
    return r;
  }

  /** Like call(), but returns the negated errno instead of throwing. */
  private try(buf: Uint8Array): number {
    return this.t.ioctl(this.name, buf);
  }

  error(cmd: Cmd | string, errno: number): EthtoolError {
    let driver: string | undefined;
    if (errno === ERRNO.EOPNOTSUPP || errno === ERRNO.EINVAL) driver = this.driverNameQuiet();
    return new EthtoolError(cmd, WHAT[cmd as Cmd] ?? cmd, this.name, errno, driver);
  }

  private driverNameQuiet(): string | undefined {
    if (this.driverName !== undefined) return this.driverName;
    const buf = request(S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
    if (this.t.ioctl(this.name, buf) >= 0) this.driverName = readCString(buf, S.ethtool_drvinfo.byName.driver.offset, 32);
    return this.driverName;
  }

  /** One zeroed request buffer per fixed-size struct, reused by get() (decode copies out). */
  private readonly getBufs = new Map<StructLayout, Uint8Array>();

  private get<T>(layout: StructLayout, cmd: Cmd): T {
    return strip<T>(this.getDecoded(layout, cmd));
  }

  private getDecoded(layout: StructLayout, cmd: Cmd): Record<string, FieldValue> {
    let reuse = this.getBufs.get(layout);
    if (!reuse) this.getBufs.set(layout, reuse = new Uint8Array(new ArrayBuffer(layout.size)));
    const buf = request(layout, ETHTOOL[cmd], 0, () => reuse!);
    this.call(cmd, buf);
    return decode(layout, buf);
  }

  /** Write a whole struct: `current` as read, overlaid with `change`. One ioctl. */
  private set<T extends object>(layout: StructLayout, cmd: Cmd, current: T, change: Partial<T>): void {
    const buf = request(layout, ETHTOOL[cmd]);
    encode(layout, { ...(current as Record<string, FieldValue>), ...(change as Record<string, FieldValue>) }, buf);
    this.call(cmd, buf);
  }

  // ---- identity -------------------------------------------------------------------------

  driverInfo(): DriverInfo {
    const d = this.getDecoded(S.ethtool_drvinfo, 'GDRVINFO');
    const info: DriverInfo = {
      driver: d.driver as string, version: d.version as string, fw_version: d.fw_version as string,
      bus_info: d.bus_info as string, erom_version: d.erom_version as string,
      n_priv_flags: d.n_priv_flags as number, n_stats: d.n_stats as number, testinfo_len: d.testinfo_len as number,
      eedump_len: d.eedump_len as number, regdump_len: d.regdump_len as number,
    };
    this.driverName = info.driver;
    return info;
  }

  permAddr(): Uint8Array {
    const buf = request(S.ethtool_perm_addr, ETHTOOL.GPERMADDR, MAX_ADDR_LEN);
    dv(buf).setUint32(S.ethtool_perm_addr.byName.size.offset, MAX_ADDR_LEN, true);
    this.call('GPERMADDR', buf);
    const size = dv(buf).getUint32(S.ethtool_perm_addr.byName.size.offset, true);
    if (size > MAX_ADDR_LEN) throw this.error('GPERMADDR', ERRNO.E2BIG);
    const off = S.ethtool_perm_addr.flex!.offset;
    return buf.slice(off, off + size);
  }

  // ---- link -----------------------------------------------------------------------------

  link(): boolean {
    return this.get<{ data: number }>(S.ethtool_value, 'GLINK').data !== 0;
  }

  /** GLINKSETTINGS with its mask-size handshake; GSET when the driver only has the old call. */
  linkSettings(): LinkSettings {
    const L = S.ethtool_link_settings;
    const probe = request(L, ETHTOOL.GLINKSETTINGS, 3 * 4 * LINK_MODE_MASK_MAX_KERNEL_NU32);
    const r = this.try(probe);
    if (r < 0) {
      if (-r === ERRNO.EOPNOTSUPP) return this.legacySettings();
      throw this.error('GLINKSETTINGS', -r);
    }
    // First call has nwords = 0: the kernel answers with -(words it needs) and no data.
    const need = -dv(probe).getInt8(L.byName.link_mode_masks_nwords.offset);
    if (need <= 0 || need > LINK_MODE_MASK_MAX_KERNEL_NU32) throw this.error('GLINKSETTINGS', ERRNO.EINVAL);
    const buf = request(L, ETHTOOL.GLINKSETTINGS, 3 * 4 * need);
    dv(buf).setInt8(L.byName.link_mode_masks_nwords.offset, need);
    this.call('GLINKSETTINGS', buf);
    const got = dv(buf).getInt8(L.byName.link_mode_masks_nwords.offset);
    if (got !== need) throw this.error('GLINKSETTINGS', ERRNO.EAGAIN);
    const d = decode(L, buf);
    const words = (k: number): number[] => {
      const out: number[] = [];
      for (let i = 0; i < need; i++) out.push(dv(buf).getUint32(L.flex!.offset + 4 * (k * need + i), true));
      return out;
    };
    return {
      legacy: false,
      speed: d.speed as number, duplex: d.duplex as number, port: d.port as number,
      phy_address: d.phy_address as number, autoneg: d.autoneg as number, mdio_support: d.mdio_support as number,
      eth_tp_mdix: d.eth_tp_mdix as number, eth_tp_mdix_ctrl: d.eth_tp_mdix_ctrl as number,
      transceiver: d.transceiver as number, master_slave_cfg: d.master_slave_cfg as number,
      master_slave_state: d.master_slave_state as number, rate_matching: d.rate_matching as number,
      supported: words(0), advertising: words(1), lp_advertising: words(2),
    };
  }

  private legacySettings(): LinkSettings {
    const c = this.get<Record<string, number>>(S.ethtool_cmd, 'GSET');
    return {
      legacy: true,
      speed: (c.speed_hi << 16) | c.speed, duplex: c.duplex, port: c.port, phy_address: c.phy_address,
      autoneg: c.autoneg, mdio_support: c.mdio_support, eth_tp_mdix: c.eth_tp_mdix,
      eth_tp_mdix_ctrl: c.eth_tp_mdix_ctrl, transceiver: c.transceiver, master_slave_cfg: 0,
      master_slave_state: 0, rate_matching: 0,
      supported: [c.supported], advertising: [c.advertising], lp_advertising: [c.lp_advertising],
    };
  }

  setLinkSettings(change: LinkSettingsChange, current: LinkSettings = this.linkSettings()): void {
    const next = { ...current, ...change };
    if (current.legacy) {
      const C = S.ethtool_cmd;
      const buf = request(C, ETHTOOL.SSET);
      const speed = next.speed >>> 0;
      encode(C, {
        supported: current.supported[0] ?? 0, advertising: next.advertising[0] ?? 0,
        speed: speed & 0xffff, speed_hi: speed >>> 16, duplex: next.duplex, port: next.port,
        phy_address: next.phy_address, transceiver: next.transceiver, autoneg: next.autoneg,
        eth_tp_mdix_ctrl: next.eth_tp_mdix_ctrl, lp_advertising: current.lp_advertising[0] ?? 0,
      }, buf);
      this.call('SSET', buf);
      return;
    }
    const L = S.ethtool_link_settings;
    const n = current.supported.length;
    const buf = request(L, ETHTOOL.SLINKSETTINGS, 3 * 4 * n);
    encode(L, {
      speed: next.speed >>> 0, duplex: next.duplex, port: next.port, phy_address: next.phy_address,
      autoneg: next.autoneg, eth_tp_mdix_ctrl: next.eth_tp_mdix_ctrl, transceiver: next.transceiver,
      master_slave_cfg: next.master_slave_cfg, link_mode_masks_nwords: n,
    }, buf);
    [current.supported, next.advertising, current.lp_advertising].forEach((words, k) =>
      words.forEach((w, i) => { if (i < n) dv(buf).setUint32(L.flex!.offset + 4 * (k * n + i), w >>> 0, true); }));
    this.call('SLINKSETTINGS', buf);
  }

  restartAutoneg(): void {
    this.call('NWAY_RST', request(S.ethtool_value, ETHTOOL.NWAY_RST));
  }

  // ---- pause / coalesce / ring / channels ----------------------------------------------

  pause(): Pause { return this.get<Pause>(S.ethtool_pauseparam, 'GPAUSEPARAM'); }
  setPause(change: Partial<Pause>, current: Pause = this.pause()): void {
    this.set(S.ethtool_pauseparam, 'SPAUSEPARAM', current, change);
  }

  coalesce(): Coalesce { return this.get<Coalesce>(S.ethtool_coalesce, 'GCOALESCE'); }
  setCoalesce(change: Partial<Coalesce>, current: Coalesce = this.coalesce()): void {
    this.set(S.ethtool_coalesce, 'SCOALESCE', current, change);
  }

  ring(): Ring { return this.get<Ring>(S.ethtool_ringparam, 'GRINGPARAM'); }
  setRing(change: RingChange, current: Ring = this.ring()): void {
    this.set(S.ethtool_ringparam, 'SRINGPARAM', current, change);
  }

  channels(): Channels { return this.get<Channels>(S.ethtool_channels, 'GCHANNELS'); }
  setChannels(change: ChannelsChange, current: Channels = this.channels()): void {
    this.set(S.ethtool_channels, 'SCHANNELS', current, change);
  }

  fec(): FecParam { return this.get<FecParam & { reserved: number }>(S.ethtool_fecparam, 'GFECPARAM'); }

  // ---- message level, wake-on-lan --------------------------------------------------------

  msglvl(): number { return this.get<{ data: number }>(S.ethtool_value, 'GMSGLVL').data; }
  setMsglvl(level: number): void {
    const buf = request(S.ethtool_value, ETHTOOL.SMSGLVL);
    encode(S.ethtool_value, { data: level >>> 0 }, buf);
    this.call('SMSGLVL', buf);
  }

  wol(): WolInfo { return this.get<WolInfo>(S.ethtool_wolinfo, 'GWOL'); }
  setWol(change: Partial<Pick<WolInfo, 'wolopts' | 'sopass'>>, current: WolInfo = this.wol()): void {
    this.set(S.ethtool_wolinfo, 'SWOL', current, change);
  }

  // ---- string sets ----------------------------------------------------------------------

  /** How many strings set `ss` has: GSSET_INFO, or GDRVINFO's counts on old drivers. */
  stringCount(ss: number): number {
    const I = S.ethtool_sset_info;
    const buf = request(I, ETHTOOL.GSSET_INFO, 4);
    dv(buf).setBigUint64(I.byName.sset_mask.offset, 1n << BigInt(ss), true);
    const r = this.try(buf);
    if (r >= 0) {
      const mask = dv(buf).getBigUint64(I.byName.sset_mask.offset, true);
      return mask & (1n << BigInt(ss)) ? dv(buf).getUint32(I.flex!.offset, true) : 0;
    }
    if (-r !== ERRNO.EOPNOTSUPP) throw this.error('GSSET_INFO', -r);
    const info = this.driverInfo();
    if (ss === ETH_SS.STATS) return info.n_stats;
    if (ss === ETH_SS.TEST) return info.testinfo_len;
    if (ss === ETH_SS.PRIV_FLAGS) return info.n_priv_flags;
    throw this.error('GSSET_INFO', -r);
  }

  /** Every string of set `ss`, sized from a fresh count; retried if the count moves. */
  strings(ss: number): string[] {
    const G = S.ethtool_gstrings;
    for (let attempt = 0; attempt < COUNT_RETRIES; attempt++) {
      const n = this.stringCount(ss);
      if (n === 0) return [];
      const buf = request(G, ETHTOOL.GSTRINGS, n * S.ETH_GSTRING_LEN);
      encode(G, { string_set: ss, len: n }, buf);
      const r = this.try(buf);
      const len = dv(buf).getUint32(G.byName.len.offset, true);
      if (r < 0 && !countMoved(r, len, n)) throw this.error('GSTRINGS', -r);
      // The driver's count changed under us (the kernel answered 0, its new count, or hit the
      // end of our buffer): count again.
      if (r < 0 || len !== n) continue;
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readCString(buf, G.flex!.offset + i * S.ETH_GSTRING_LEN, S.ETH_GSTRING_LEN);
      return out;
    }
    throw this.error('GSTRINGS', ERRNO.EAGAIN);
  }

  // ---- statistics -----------------------------------------------------------------------

  /** Names and values of the NIC statistics (ethtool -S). */
  stats(): { name: string; value: bigint }[] {
    const r = this.statsReader();
    const v = r.read();
    return r.names.map((name, i) => ({ name, value: v[i] }));
  }

  /** A reusable reader for hot paths: names read once, values into one preallocated buffer. */
  statsReader(): StatsReader {
    return new StatsReader(this, this.t);
  }

  // ---- features -------------------------------------------------------------------------

  features(): FeatureState[] {
    const B = S.ethtool_get_features_block;
    const G = S.ethtool_gfeatures;
    for (let attempt = 0; attempt < COUNT_RETRIES; attempt++) {
      const names = this.strings(ETH_SS.FEATURES);
      const blocks = Math.ceil(names.length / 32);
      const buf = request(G, ETHTOOL.GFEATURES, blocks * B.size);
      encode(G, { size: blocks }, buf);
      this.call('GFEATURES', buf);
      if (dv(buf).getUint32(G.byName.size.offset, true) !== blocks) continue;
      return names.map((name, i) => {
        const base = G.flex!.offset + (i >> 5) * B.size;
        const bit = 1 << (i & 31);
        const d = decode(B, buf, base) as Record<string, number>;
        return {
          name, available: (d.available & bit) !== 0, requested: (d.requested & bit) !== 0,
          active: (d.active & bit) !== 0, never_changed: (d.never_changed & bit) !== 0,
        };
      });
    }
    throw this.error('GFEATURES', ERRNO.EAGAIN);
  }

  /**
   * Request features on/off by kernel name in one SFEATURES. Returns the kernel's
   * ETHTOOL_F_* answer bits (WISH: some requests could not be met as asked).
   */
  setFeatures(wanted: Record<string, boolean>, names: string[] = this.strings(ETH_SS.FEATURES)): number {
    const B = S.ethtool_set_features_block;
    const F = S.ethtool_sfeatures;
    const blocks = Math.ceil(names.length / 32);
    const buf = request(F, ETHTOOL.SFEATURES, blocks * B.size);
    encode(F, { size: blocks }, buf);
    const view = dv(buf);
    for (const [name, on] of Object.entries(wanted)) {
      const i = names.indexOf(name);
      if (i < 0) throw new UsageError(`${this.name}: unknown feature "${name}"`);
      const base = F.flex!.offset + (i >> 5) * B.size;
      const bit = 1 << (i & 31);
      view.setUint32(base + B.byName.valid.offset, (view.getUint32(base + B.byName.valid.offset, true) | bit) >>> 0, true);
      const req = view.getUint32(base + B.byName.requested.offset, true);
      view.setUint32(base + B.byName.requested.offset, (on ? req | bit : req & ~bit) >>> 0, true);
    }
    return this.call('SFEATURES', buf);
  }

  /** One legacy offload (ETHTOOL_GRXCSUM … GFLAGS bit): null when the driver does not answer. */
  legacyOffload(name: LegacyOffloadName): boolean | null {
    const spec = LEGACY[name];
    const buf = request(S.ethtool_value, ETHTOOL[spec.get]);
    const r = this.try(buf);
    if (r < 0) {
      if (-r === ERRNO.EOPNOTSUPP) return null;
      throw this.error(spec.get, -r);
    }
    const data = dv(buf).getUint32(S.ethtool_value.byName.data.offset, true);
    return spec.flag ? (data & spec.flag) !== 0 : data !== 0;
  }

  setLegacyOffload(name: LegacyOffloadName, on: boolean): void {
    const spec = LEGACY[name];
    let data = on ? 1 : 0;
    if (spec.flag) {
      const cur = this.get<{ data: number }>(S.ethtool_value, 'GFLAGS').data;
      data = (on ? cur | spec.flag : cur & ~spec.flag) >>> 0;
    }
    const buf = request(S.ethtool_value, ETHTOOL[spec.set]);
    encode(S.ethtool_value, { data }, buf);
    this.call(spec.set, buf);
  }

  // ---- diagnostics ------------------------------------------------------------------------

  selfTest(mode: SelfTestMode = 'offline'): SelfTestResult {
    const T = S.ethtool_test;
    for (let attempt = 0; attempt < COUNT_RETRIES; attempt++) {
      const names = this.strings(ETH_SS.TEST);
      if (names.length === 0) throw this.error('TEST', ERRNO.EOPNOTSUPP);
      const flags = mode === 'offline' ? ETH_TEST_FL.OFFLINE : mode === 'external_lb' ? ETH_TEST_FL.OFFLINE | ETH_TEST_FL.EXTERNAL_LB : 0;
      const buf = request(T, ETHTOOL.TEST, names.length * 8);
      encode(T, { flags, len: names.length }, buf);
      const r = this.try(buf);
      const d = decode(T, buf) as Record<string, number>;
      if (r < 0 && !countMoved(r, d.len, names.length)) throw this.error('TEST', -r);
      if (r < 0 || d.len !== names.length) continue;
      const view = dv(buf);
      return {
        flags: d.flags,
        failed: (d.flags & ETH_TEST_FL.FAILED) !== 0,
        external_lb_done: (d.flags & ETH_TEST_FL.EXTERNAL_LB_DONE) !== 0,
        results: names.map((name, i) => ({ name, value: view.getBigUint64(T.flex!.offset + 8 * i, true) })),
      };
    }
    throw this.error('TEST', ERRNO.EAGAIN);
  }

  /** Blink the port LED for `seconds` (0: until interrupted). Blocks the calling thread. */
  identify(seconds: number): void {
    const buf = request(S.ethtool_value, ETHTOOL.PHYS_ID);
    encode(S.ethtool_value, { data: seconds >>> 0 }, buf);
    this.call('PHYS_ID', buf);
  }

  /**
   * Blink without blocking the event loop, in one-second kernel calls so that `signal`
   * stops it within a second. `seconds` 0 blinks until aborted.
   */
  async identifyAsync(seconds: number, signal?: AbortSignal): Promise<void> {
    const run = this.t.ioctlAsync?.bind(this.t);
    if (!run) { this.identify(seconds); return; }
    const deadline = Date.now() + seconds * 1000;
    while (!signal?.aborted && (seconds === 0 || Date.now() < deadline)) {
      const buf = request(S.ethtool_value, ETHTOOL.PHYS_ID);
      encode(S.ethtool_value, { data: 1 }, buf);
      const r = await run(this.name, buf);
      if (r < 0) throw this.error('PHYS_ID', -r);
    }
  }

  regs(): { version: number; data: Uint8Array } {
    const R = S.ethtool_regs;
    const len = this.driverInfo().regdump_len;
    const buf = request(R, ETHTOOL.GREGS, len);
    encode(R, { len }, buf);
    this.call('GREGS', buf);
    const d = decode(R, buf) as Record<string, number>;
    if (d.len > len) throw this.error('GREGS', ERRNO.E2BIG);
    return { version: d.version, data: buf.slice(R.flex!.offset, R.flex!.offset + d.len) };
  }

  eeprom(offset = 0, length?: number): { magic: number; offset: number; data: Uint8Array } {
    const P = S.ethtool_eeprom;
    const total = this.driverInfo().eedump_len;
    const len = length ?? Math.max(0, total - offset);
    if (offset + len > total) throw new UsageError(`${this.name}: offset & length out of bounds (EEPROM is ${total} bytes)`);
    const buf = request(P, ETHTOOL.GEEPROM, len);
    encode(P, { offset, len }, buf);
    this.call('GEEPROM', buf);
    const d = decode(P, buf) as Record<string, number>;
    if (d.len > len) throw this.error('GEEPROM', ERRNO.E2BIG);
    return { magic: d.magic, offset: d.offset, data: buf.slice(P.flex!.offset, P.flex!.offset + d.len) };
  }
}

/**
 * Reads ETHTOOL_GSTATS into one reused buffer. `read()` returns a view of the values that is
 * valid until the next read; it allocates nothing unless the driver's stat count changed.
 */
export class StatsReader {
  names: string[] = [];
  private buf: Uint8Array = new Uint8Array(0);
  private view: BigUint64Array = new BigUint64Array(0);
  private dvw: DataView = new DataView(new ArrayBuffer(0));
  /** Bumped each time the names were (re)read, so consumers can rebuild their tables. */
  generation = 0;

  constructor(private readonly nic: Nic, private readonly t: Transport) {
    this.reload();
  }

  reload(): void {
    this.names = this.nic.strings(ETH_SS.STATS);
    const T = S.ethtool_stats;
    const n = this.names.length;
    this.buf = this.t.alloc(T.size + 8 * n);
    this.buf.fill(0);
    this.dvw = dv(this.buf);
    this.dvw.setUint32(0, ETHTOOL.GSTATS, true);
    this.view = new BigUint64Array(this.buf.buffer, this.buf.byteOffset + T.flex!.offset, n);
    this.generation++;
  }

  read(): BigUint64Array {
    for (let attempt = 0; attempt < COUNT_RETRIES; attempt++) {
      const n = this.names.length;
      if (n === 0) {
        // n_stats 0 asks the kernel for all counters with no room for them: never send it.
        if (this.nic.stringCount(ETH_SS.STATS) === 0) return this.view;
        this.reload();
        continue;
      }
      this.dvw.setUint32(N_STATS_OFFSET, n, true);
      const r = this.t.ioctl(this.nic.name, this.buf);
      const got = this.dvw.getUint32(N_STATS_OFFSET, true);
      if (r >= 0 && got === n) return this.view;
      if (r < 0 && !countMoved(r, got, n)) throw this.nic.error('GSTATS', -r);
      this.reload(); // the driver's count changed: new names, new buffer
    }
    throw this.nic.error('GSTATS', ERRNO.EAGAIN);
  }
}
