/**
 * The typed device API: one method per ethtool operation, over any Transport. A policy over the
 * ops (../ethtool/ops.ts): typed results, every failure an EthtoolError naming the operation and
 * the device, and counts read again when a driver's string or stat count moves under us.
 */
import { Transport, ifnameProblem, Port, portOf } from '../ethtool/transport';
import * as ops from '../ethtool/ops';
import { StructLayout } from '../ethtool/layout';
import * as S from '../ethtool/structs';
import { ETHTOOL, ETH_SS, ETH_TEST_FL, MAX_NUM_QUEUE, PHY_TUNABLE, TUNABLE_TYPE } from '../ethtool/constants';
import { LEGACY_OFFLOADS } from '../ethtool/catalog/offloads';
import { ERRNO } from '../ethtool/errno';
import { EthtoolError, UsageError } from './errors';
import * as rss from '../ethtool/rss';
import { ETH_RXFH_CONTEXT_ALLOC, RX_CLS_LOC } from '../ethtool/constants';
import { RssConfig, RssChange, FlowHash, RuleSpec, DecodedRule, buildRule, flowHashWord, hashFlowType } from './rss';
import * as fw from '../ethtool/firmware';
import * as pq from '../ethtool/perqueue';
import type {
  DriverInfo, Ring, RingChange, Channels, ChannelsChange, Pause, Coalesce, LinkSettings,
  LinkSettingsChange, WolInfo, FeatureState, LegacyOffloadName, SelfTestMode, SelfTestResult, FecParam,
  TsInfo, Eee, EeeChange,
} from '../ethtool/types';

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
  GET_DUMP_FLAG: 'get firmware dump flag', GET_DUMP_DATA: 'get firmware dump data', SET_DUMP: 'set firmware dump flag',
  FLASHDEV: 'flash firmware', SEEPROM: 'write EEPROM', PERQUEUE: 'per-queue request',
  GPERMADDR: 'get permanent address', GSSET_INFO: 'get string set info', GFEATURES: 'get features',
  SFEATURES: 'set features', GCHANNELS: 'get channels', SCHANNELS: 'set channels',
  GPFLAGS: 'get private flags', SPFLAGS: 'set private flags', GET_TS_INFO: 'get time stamping info',
  RESET: 'reset components', GTUNABLE: 'get tunable', STUNABLE: 'set tunable',
  PHY_GTUNABLE: 'get PHY tunable', PHY_STUNABLE: 'set PHY tunable', GEEE: 'get EEE settings', SEEE: 'set EEE settings',
  GFECPARAM: 'get FEC settings', SFECPARAM: 'set FEC settings', GFLAGS: 'get offload flags', SFLAGS: 'set offload flags',
  GMODULEINFO: 'get module EEPROM information', GMODULEEEPROM: 'get module EEPROM data',
  GRXRINGS: 'get RX ring count', GRSSH: 'get RSS configuration', SRSSH: 'set RSS configuration',
  GRXFHINDIR: 'get RX flow hash indirection table', SRXFHINDIR: 'set RX flow hash indirection table',
  GRXFH: 'get RX flow hash fields', SRXFH: 'set RX flow hash fields', GRXCLSRLCNT: 'count RX classification rules',
  GRXCLSRLALL: 'list RX classification rules', GRXCLSRULE: 'get RX classification rule',
  SRXCLSRLINS: 'insert RX classification rule', SRXCLSRLDEL: 'delete RX classification rule',
};


const CMD_NAME: Record<number, Cmd> = Object.fromEntries(Object.entries(ETHTOOL).map(([k, v]) => [v, k as Cmd]));

export class Nic {
  private driverName: string | undefined;
  /** This device's side of the transport, as the ops take it. */
  readonly port: Port;

  constructor(readonly name: string, private readonly t: Transport) {
    const problem = ifnameProblem(name);
    if (problem) throw new UsageError(problem);
    this.port = portOf(t, name);
  }

  // ---- plumbing -------------------------------------------------------------------------

  error(cmd: Cmd | string, errno: number): EthtoolError {
    let driver: string | undefined;
    if (errno === ERRNO.EOPNOTSUPP || errno === ERRNO.EINVAL) driver = this.driverNameQuiet();
    return new EthtoolError(cmd, WHAT[cmd as Cmd] ?? cmd, this.name, errno, driver);
  }

  /** The value of an answer, or its errno as an EthtoolError for `cmd`. */
  private must<T>(cmd: Cmd, r: ops.Res<T>): T {
    if (!r.ok) throw this.error(cmd, r.errno);
    return r.v;
  }

  /** A SET's answer (>= 0), or its errno as an EthtoolError. */
  private done(cmd: Cmd, r: number): number {
    if (r < 0) throw this.error(cmd, -r);
    return r;
  }

  private driverNameQuiet(): string | undefined {
    if (this.driverName !== undefined) return this.driverName;
    const d = ops.getStruct<{ driver: string }>(this.port, S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
    if (d.ok) this.driverName = d.v.driver;
    return this.driverName;
  }

  /** One zeroed request buffer per fixed-size struct, reused by get() (decoding copies out). */
  private readonly getBufs = new Map<StructLayout, Uint8Array>();

  private get<T>(layout: StructLayout, cmd: Cmd): T {
    let reuse = this.getBufs.get(layout);
    if (!reuse) this.getBufs.set(layout, reuse = new Uint8Array(new ArrayBuffer(layout.size)));
    const r = ops.getStruct<Record<string, number>>(this.port, layout, ETHTOOL[cmd], reuse);
    return ops.withoutCmd<T>(this.must(cmd, r));
  }

  /** Write a whole struct: `current` as read, overlaid with `change`. One ioctl. */
  private set<T extends object>(layout: StructLayout, cmd: Cmd, current: T, change: Partial<T>): void {
    this.done(cmd, ops.setStruct(this.port, layout, ETHTOOL[cmd], { ...current, ...change } as Record<string, number>));
  }

  private value(cmd: Cmd, data = 0): number {
    const v = ops.value(this.port, ETHTOOL[cmd], data);
    this.done(cmd, v.r);
    return v.data;
  }

  // ---- identity -------------------------------------------------------------------------

  driverInfo(): DriverInfo {
    const info = this.get<DriverInfo & { reserved2: string }>(S.ethtool_drvinfo, 'GDRVINFO');
    const { reserved2: _r, ...rest } = info;
    this.driverName = rest.driver;
    return rest;
  }

  permAddr(): Uint8Array {
    return this.must('GPERMADDR', ops.getPermAddr(this.port));
  }

  // ---- link -----------------------------------------------------------------------------

  link(): boolean {
    return this.value('GLINK') !== 0;
  }

  /** GLINKSETTINGS with its mask-size handshake; GSET when the driver only has the old call. */
  linkSettings(): LinkSettings {
    const r = ops.readLink(this.port);
    if (!r.ok) throw this.error('GLINKSETTINGS', r.errno);
    return r.v;
  }

  /** Change link settings: one SET of `current` (as read, by default now) with `change` written in. */
  setLinkSettings(change: LinkSettingsChange, current: LinkSettings = this.linkSettings()): void {
    const read = 'buf' in current ? current as ops.LinkRead : ops.linkFromSettings(current);
    const next = { ...read, ...change };
    const r = ops.writeLink(this.port, read, { ...next, advertising: next.advertising });
    this.done(read.legacy ? 'SSET' : 'SLINKSETTINGS', r);
  }

  restartAutoneg(): void {
    this.value('NWAY_RST');
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

  fec(): FecParam {
    const { reserved: _r, ...f } = this.get<FecParam & { reserved: number }>(S.ethtool_fecparam, 'GFECPARAM');
    return f;
  }
  /** Configure the FEC encodings in `fec` (ETHTOOL_FEC_* bits; the kernel refuses 0 and None). */
  setFec(fec: number): void {
    this.done('SFECPARAM', ops.setStruct(this.port, S.ethtool_fecparam, ETHTOOL.SFECPARAM, { active_fec: 0, fec: fec >>> 0, reserved: 0 }));
  }

  // ---- private flags, time stamping, EEE ------------------------------------------------

  /** The driver's private flags by name (GPFLAGS covers the first 32). */
  privFlags(): Record<string, boolean> {
    const names = this.strings(ETH_SS.PRIV_FLAGS).slice(0, 32);
    const data = this.value('GPFLAGS');
    return Object.fromEntries(names.map((n, i) => [n, ((data >>> i) & 1) === 1]));
  }

  /** Change the named private flags, the others as they are: GPFLAGS then SPFLAGS. */
  setPrivFlags(change: Readonly<Record<string, boolean>>): void {
    const names = this.strings(ETH_SS.PRIV_FLAGS).slice(0, 32);
    let data = this.value('GPFLAGS');
    for (const [name, on] of Object.entries(change)) {
      const i = names.indexOf(name);
      if (i < 0) throw new UsageError(`${this.name} has no private flag '${name}'`);
      data = on ? data | (1 << i) : data & ~(1 << i);
    }
    this.value('SPFLAGS', data >>> 0);
  }

  tsInfo(): TsInfo {
    const { tx_reserved: _t, rx_reserved: _r, ...t } = this.get<TsInfo & { tx_reserved: number[]; rx_reserved: number[] }>(S.ethtool_ts_info, 'GET_TS_INFO');
    return t;
  }

  eee(): Eee {
    const { reserved: _r, ...e } = this.get<Eee & { reserved: number[] }>(S.ethtool_eee, 'GEEE');
    return e;
  }
  setEee(change: EeeChange, current: Eee = this.eee()): void {
    this.set(S.ethtool_eee, 'SEEE', current, change);
  }

  /** A tunable (ETHTOOL_TUNABLE_* type `typeId`, `len` bytes) by id: GTUNABLE, or PHY_GTUNABLE with `phy`. */
  tunable(id: number, typeId: number, len: number, phy = false): bigint | null {
    const cmd: Cmd = phy ? 'PHY_GTUNABLE' : 'GTUNABLE';
    return this.must(cmd, ops.getTunable(this.port, ETHTOOL[cmd], id, typeId, len)).value;
  }
  setTunable(id: number, typeId: number, len: number, value: bigint, phy = false): void {
    const cmd: Cmd = phy ? 'PHY_STUNABLE' : 'STUNABLE';
    this.done(cmd, ops.setTunable(this.port, ETHTOOL[cmd], id, typeId, len, value));
  }

  /** ETHTOOL_RESET of the components in `flags`: the bits the driver did not reset. */
  reset(flags: number): number { return this.value('RESET', flags >>> 0); }

  // ---- RSS and RX flow classification -----------------------------------------------------

  /** The number of RX rings RSS and rules can steer to (GRXRINGS). */
  rxRings(): number { return Number(this.must('GRXRINGS', rss.getRxRings(this.port))); }

  /** RSS context `context`'s table, key and hash function; GRXFHINDIR (the table) where the driver lacks GRSSH. */
  rss(context = 0): RssConfig {
    const head = rss.getRxfhHead(this.port, context);
    if (!head.ok && head.errno === ERRNO.EOPNOTSUPP && context === 0) {
      const size = this.must('GRXFHINDIR', rss.getIndirSize(this.port));
      const indir = this.must('GRXFHINDIR', rss.getIndir(this.port, size));
      return { context: 0, indirSize: indir.length, indir, key: null, hfunc: null, hfuncBits: 0, hfuncs: {}, indirOnly: true };
    }
    const r = this.must('GRSSH', rss.getRxfh(this.port, this.must('GRSSH', head)));
    const hfuncs: Record<string, boolean> = {};
    let hfunc: string | null = null;
    if (r.hfunc) {
      this.strings(ETH_SS.RSS_HASH_FUNCS).forEach((n, i) => {
        hfuncs[n] = i < 32 && ((r.hfunc >>> i) & 1) === 1;
        if (hfuncs[n] && hfunc === null) hfunc = n;
      });
    }
    return { context, indirSize: r.indir_size, indir: r.indir, key: r.key_size ? r.key : null, hfunc, hfuncBits: r.hfunc, hfuncs, indirOnly: false };
  }

  /**
   * Change RSS: the table, key and hash function given (each one checked against the device
   * first), in one SRSSH; SRXFHINDIR when only the table changes and the driver lacks GRSSH.
   * Returns the context (a new one's number when `context` is ETH_RXFH_CONTEXT_ALLOC).
   */
  setRss(change: RssChange): number {
    const context = change.context ?? 0;
    const head = rss.getRxfhHead(this.port, 0);
    if (!head.ok && head.errno === ERRNO.EOPNOTSUPP && change.key === undefined && change.hfunc === undefined && context === 0) {
      const size = this.must('GRXFHINDIR', rss.getIndirSize(this.port));
      if (change.indir === undefined) return 0;
      const table = change.indir === 'default' ? [] : this.checkTable(change.indir, size);
      this.done('SRXFHINDIR', rss.setIndir(this.port, change.indir === 'default' ? 0 : size, table, size));
      return 0;
    }
    const h = this.must('GRSSH', head);
    if (change.indir === 'default' && context !== 0) throw new UsageError(`${this.name}: only context 0 has a default table`);
    const table = change.indir === undefined || change.indir === 'default' ? [] : this.checkTable(change.indir, h.indir_size);
    const indirSize = change.indir === undefined ? rss.ETH_RXFH_INDIR_NO_CHANGE : change.indir === 'default' ? 0 : h.indir_size;
    if (change.key !== undefined && change.key.length !== h.key_size) {
      throw new UsageError(h.key_size ? `${this.name}: the RSS key is ${h.key_size} bytes, not ${change.key.length}` : `${this.name}: the driver has no settable RSS key`);
    }
    let hfunc = 0;
    if (change.hfunc !== undefined) {
      const names = this.strings(ETH_SS.RSS_HASH_FUNCS);
      const i = names.indexOf(change.hfunc);
      if (i < 0 || i >= 32) throw new UsageError(`${this.name}: unknown hash function '${change.hfunc}' (${names.join(', ') || 'none named'})`);
      hfunc = (1 << i) >>> 0;
    }
    const key = change.key ?? new Uint8Array(0);
    const r = rss.setRxfh(this.port, { rss_context: context, indir_size: indirSize, key_size: key.length, hfunc }, table, key);
    this.done('SRSSH', r.r);
    return context === ETH_RXFH_CONTEXT_ALLOC ? r.rss_context : context;
  }

  private checkTable(t: readonly number[], size: number): number[] {
    if (t.length !== size) throw new UsageError(`${this.name}: the indirection table has ${size} entries, not ${t.length}`);
    return [...t];
  }

  /** The table of the device's size, size of the table from the device (GRSSH, else GRXFHINDIR). */
  private indirSize(): number {
    const head = rss.getRxfhHead(this.port, 0);
    if (head.ok) return head.v.indir_size;
    if (head.errno !== ERRNO.EOPNOTSUPP) throw this.error('GRSSH', head.errno);
    return this.must('GRXFHINDIR', rss.getIndirSize(this.port));
  }

  /** `-X equal N [start S]`: the table spread evenly over N queues from S. */
  setRssEqual(n: number, o: { start?: number; context?: number } = {}): void {
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${this.name}: RSS over ${n} queues: at least 1`);
    const size = this.indirSize();
    if (size === 0) throw new UsageError(`${this.name}: the driver has no RSS indirection table`);
    this.setRss({ indir: rss.indirEqual(size, n, o.start ?? 0), context: o.context });
  }

  /** `-X weight W…`: queues in proportion to their weights. */
  setRssWeights(weights: readonly number[], o: { start?: number; context?: number } = {}): void {
    const size = this.indirSize();
    if (size === 0) throw new UsageError(`${this.name}: the driver has no RSS indirection table`);
    const t = rss.indirWeights(size, weights, o.start ?? 0);
    if (t === 'zero') throw new UsageError(`${this.name}: at least one RSS weight must be non-zero`);
    if (t === 'too-big') throw new UsageError(`${this.name}: the RSS weights sum to more than the ${size} table entries`);
    this.setRss({ indir: t, context: o.context });
  }

  /** `-X default`: the driver's own table. */
  setRssDefault(): void { this.setRss({ indir: 'default' }); }

  /** A new RSS context (SRSSH with ETH_RXFH_CONTEXT_ALLOC): its number. */
  createRssContext(change: Omit<RssChange, 'context'> = {}): number {
    return this.setRss({ ...change, context: ETH_RXFH_CONTEXT_ALLOC });
  }

  deleteRssContext(context: number): void {
    if (!Number.isInteger(context) || context < 1 || context >= ETH_RXFH_CONTEXT_ALLOC) throw new UsageError(`${this.name}: RSS context ${context}: 1 or more`);
    const r = rss.setRxfh(this.port, { rss_context: context, indir_size: 0, key_size: 0, hfunc: 0 }, [], new Uint8Array(0));
    this.done('SRSSH', r.r);
  }

  /** The fields `flowType` (tcp4, udp6 …) is hashed on (GRXFH). */
  rxFlowHash(flowType: string, context?: number): FlowHash {
    const r = this.must('GRXFH', rss.getRxFlowHash(this.port, hashFlowType(flowType), context));
    const data = Number(r.data & 0xffffffffn);
    return { flowType, fields: rss.rxhLetters(data).replace('r', ''), discard: (data & 0x80000000) !== 0, data };
  }

  /** Hash `flowType` on `fields` (ethtool's letters: sdfn = addresses and ports) (SRXFH). */
  setRxFlowHash(flowType: string, fields: string, context?: number): void {
    this.done('SRXFH', rss.setRxFlowHash(this.port, hashFlowType(flowType), flowHashWord(fields), context));
  }

  /** Every classification rule, in the driver's order (GRXCLSRLCNT, GRXCLSRLALL, GRXCLSRULE each). */
  rules(): DecodedRule[] {
    const c = rss.ruleCount(this.port);
    if (!c.ok) throw this.error('GRXCLSRLCNT', c.errno);
    const all = this.must('GRXCLSRLALL', rss.ruleLocations(this.port, c.v.count));
    return all.locs.map(loc => this.rule(loc));
  }

  rule(location: number): DecodedRule {
    const r = this.must('GRXCLSRULE', rss.getRule(this.port, location));
    return rss.decodeRule(r.fs, r.rss_context);
  }

  /**
   * Insert a rule; its location. Without one, the driver picks where it can, else the last
   * free slot of the table (as ethtool's rule manager does).
   */
  insertRule(spec: RuleSpec): number {
    const { fs, context } = buildRule(spec);
    if (rss.flowSpecLocation(fs) & RX_CLS_LOC.SPECIAL) {
      const c = rss.ruleCount(this.port);
      if (!c.ok) throw this.error('GRXCLSRLCNT', c.errno);
      if (!(c.v.data & BigInt(RX_CLS_LOC.SPECIAL))) {
        const all = this.must('GRXCLSRLALL', rss.ruleLocations(this.port, c.v.count));
        const used = new Set(all.locs);
        let loc = all.size - 1;
        while (loc >= 0 && used.has(loc)) loc--;
        if (loc < 0) throw new UsageError(`${this.name}: no free location among the ${all.size} rule slots`);
        rss.setFlowSpecLocation(fs, loc);
      }
    }
    const r = rss.insertRule(this.port, fs, context);
    this.done('SRXCLSRLINS', r.r);
    return r.location;
  }

  deleteRule(location: number): void {
    this.done('SRXCLSRLDEL', rss.deleteRule(this.port, location));
  }

  // ---- message level, wake-on-lan --------------------------------------------------------

  msglvl(): number { return this.value('GMSGLVL'); }
  setMsglvl(level: number): void { this.value('SMSGLVL', level); }

  wol(): WolInfo { return this.get<WolInfo>(S.ethtool_wolinfo, 'GWOL'); }
  setWol(change: Partial<Pick<WolInfo, 'wolopts' | 'sopass'>>, current: WolInfo = this.wol()): void {
    this.set(S.ethtool_wolinfo, 'SWOL', current, change);
  }

  // ---- string sets ----------------------------------------------------------------------

  /** How many strings set `ss` has: GSSET_INFO, or GDRVINFO's counts on old drivers. */
  stringCount(ss: number): number {
    return this.must('GSSET_INFO', ops.stringCount(this.port, ss, ops.drvinfoCountOf(ss)));
  }

  /** Every string of set `ss`, sized from a fresh count; counted again if the count moves. */
  strings(ss: number): string[] {
    const r = ops.stringSet(this.port, ss, { fallback: ops.drvinfoCountOf(ss) });
    return this.must('GSTRINGS', r);
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
    return new StatsReader(this);
  }

  // ---- features -------------------------------------------------------------------------

  features(): FeatureState[] {
    for (let attempt = 0; attempt < ops.COUNT_ATTEMPTS; attempt++) {
      const names = this.strings(ETH_SS.FEATURES);
      const w = this.must('GFEATURES', ops.getFeatures(this.port, names.length));
      // The kernel answers with its own block count: another one means the names moved.
      if (w.size !== Math.ceil(names.length / 32)) continue;
      const bit = ops.featureBit;
      return names.map((name, i) => ({
        name, available: bit(w.available, i), requested: bit(w.requested, i),
        active: bit(w.active, i), never_changed: bit(w.neverChanged, i),
      }));
    }
    throw this.error('GFEATURES', ERRNO.EAGAIN);
  }

  /**
   * Request features on/off by kernel name in one SFEATURES. Returns the kernel's
   * ETHTOOL_F_* answer bits (WISH: some requests could not be met as asked).
   */
  setFeatures(wanted: Record<string, boolean>, names: string[] = this.strings(ETH_SS.FEATURES)): number {
    const blocks = Math.ceil(names.length / 32);
    const valid = new Uint32Array(blocks), requested = new Uint32Array(blocks);
    for (const [name, on] of Object.entries(wanted)) {
      const i = names.indexOf(name);
      if (i < 0) throw new UsageError(`${this.name}: unknown feature "${name}"`);
      valid[i >> 5] |= 1 << (i & 31);
      if (on) requested[i >> 5] |= 1 << (i & 31);
    }
    return this.done('SFEATURES', ops.setFeatures(this.port, valid, requested));
  }

  /** One legacy offload (ETHTOOL_GRXCSUM … GFLAGS bit): null when the driver does not answer. */
  legacyOffload(name: LegacyOffloadName): boolean | null {
    const l = LEGACY_OFFLOADS.find(x => x.short === name)!;
    const v = ops.value(this.port, l.getCmd);
    if (v.r < 0) {
      if (-v.r === ERRNO.EOPNOTSUPP) return null;
      throw this.error(CMD_NAME[l.getCmd], -v.r);
    }
    return l.flag ? (v.data & l.flag) !== 0 : v.data !== 0;
  }

  setLegacyOffload(name: LegacyOffloadName, on: boolean): void {
    const l = LEGACY_OFFLOADS.find(x => x.short === name)!;
    let data = on ? 1 : 0;
    if (l.flag) {
      const cur = this.value('GFLAGS');
      data = (on ? cur | l.flag : cur & ~l.flag) >>> 0;
    }
    this.value(CMD_NAME[l.setCmd], data);
  }

  // ---- diagnostics ------------------------------------------------------------------------

  selfTest(mode: SelfTestMode = 'offline'): SelfTestResult {
    const flags = mode === 'offline' ? ETH_TEST_FL.OFFLINE : mode === 'external_lb' ? ETH_TEST_FL.OFFLINE | ETH_TEST_FL.EXTERNAL_LB : 0;
    for (let attempt = 0; attempt < ops.COUNT_ATTEMPTS; attempt++) {
      const names = this.strings(ETH_SS.TEST);
      if (names.length === 0) throw this.error('TEST', ERRNO.EOPNOTSUPP);
      const r = ops.selfTest(this.port, flags, names.length);
      if (!r.ok && 'moved' in r) continue;
      const t = this.must('TEST', r);
      return {
        flags: t.flags,
        failed: (t.flags & ETH_TEST_FL.FAILED) !== 0,
        external_lb_done: (t.flags & ETH_TEST_FL.EXTERNAL_LB_DONE) !== 0,
        results: names.map((name, i) => ({ name, value: t.results[i] })),
      };
    }
    throw this.error('TEST', ERRNO.EAGAIN);
  }

  /** Blink the port LED for `seconds` (0: until interrupted). Blocks the calling thread. */
  identify(seconds: number): void {
    this.value('PHYS_ID', seconds);
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
      // The same request as ops.value(PHYS_ID, 1), issued off the main thread.
      const r = await run(this.name, ops.valueRequest(ETHTOOL.PHYS_ID, 1));
      if (r < 0) throw this.error('PHYS_ID', -r);
    }
  }

  regs(): { version: number; data: Uint8Array } {
    const r = this.must('GREGS', ops.getRegs(this.port, this.driverInfo().regdump_len));
    return { version: r.version, data: r.data.slice() };
  }

  eeprom(offset = 0, length?: number): { magic: number; offset: number; data: Uint8Array } {
    const total = this.driverInfo().eedump_len;
    const len = length ?? Math.max(0, total - offset);
    if (offset + len > total) throw new UsageError(`${this.name}: offset & length out of bounds (EEPROM is ${total} bytes)`);
    const r = this.must('GEEPROM', ops.getEeprom(this.port, offset, len));
    return { magic: r.magic, offset: r.offset, data: r.data.slice() };
  }

  /** The plugged module's EEPROM standard (ETH_MODULE_SFF_*) and length (GMODULEINFO). */
  moduleInfo(): { type: number; eeprom_len: number } {
    return this.must('GMODULEINFO', ops.getModuleInfo(this.port));
  }

  /** Bytes of the module's EEPROM as the ioctl blob lays them out (A0h then A2h, or QSFP pages). */
  moduleEeprom(offset = 0, length?: number): { type: number; offset: number; data: Uint8Array } {
    const info = this.moduleInfo();
    const len = length ?? Math.max(0, info.eeprom_len - offset);
    if (offset + len > info.eeprom_len) throw new UsageError(`${this.name}: offset & length out of bounds (module EEPROM is ${info.eeprom_len} bytes)`);
    const r = this.must('GMODULEEEPROM', ops.getModuleEeprom(this.port, offset, len));
    return { type: info.type, offset: r.offset, data: r.data };
  }

  // ---- firmware dump, flashing, EEPROM writes, per-queue coalescing -------------------------

  /** The firmware dump's level, version and length (GET_DUMP_FLAG). */
  dumpFlag(): fw.DumpFlag { return this.must('GET_DUMP_FLAG', fw.getDumpFlag(this.port)); }

  /** The firmware dump itself (GET_DUMP_FLAG for its length, then GET_DUMP_DATA). */
  dumpData(): fw.DumpFlag & { data: Uint8Array } {
    return this.must('GET_DUMP_DATA', fw.getDumpData(this.port, this.dumpFlag().len));
  }

  /** Set the firmware dump level (driver-defined; 0 is ETH_FW_DUMP_DISABLE). */
  setDumpFlag(flag: number): void { this.done('SET_DUMP', fw.setDump(this.port, flag >>> 0)); }

  /** Flash `file` (found by the kernel's firmware loader, relative to /lib/firmware) to `region` (default: all). */
  flash(file: string, region: number | null = null): void {
    if (Buffer.byteLength(file) > fw.FLASH_NAME_MAX) throw new UsageError(`${this.name}: flash file name longer than ${fw.FLASH_NAME_MAX} bytes`);
    if (region !== null && (!Number.isInteger(region) || region < 0 || region > 0x7fffffff)) throw new UsageError(`${this.name}: flash region must be 0..2147483647`);
    this.done('FLASHDEV', fw.flash(this.port, file, region));
  }

  /** Write `data` at `offset` of the device EEPROM; `magic` as the driver wants it (see eeprom().magic). */
  setEeprom(offset: number, data: Uint8Array, magic: number): void {
    const total = this.driverInfo().eedump_len;
    if (data.length === 0 || offset + data.length > total) throw new UsageError(`${this.name}: offset & length out of bounds (EEPROM is ${total} bytes)`);
    this.done('SEEPROM', fw.setEeprom(this.port, magic, offset, data));
  }

  /** Each queue's coalescing (PERQUEUE GCOALESCE), by queue number; default: every queue of the channel counts. */
  queueCoalesce(queues?: readonly number[]): Map<number, Coalesce> {
    const list = queues ?? this.allQueues();
    const mask = pq.queueMask(list);
    const qs = pq.maskQueues(mask);
    const got = this.must('PERQUEUE', pq.getPerQueueCoalesce(this.port, mask, qs.length));
    return new Map(qs.map((q, i) => [q, got[i]]));
  }

  /** Change the coalescing of the given queues (PERQUEUE SCOALESCE): each queue's current values with `change` written in. */
  setQueueCoalesce(queues: readonly number[], change: Partial<Coalesce>): void {
    const cur = this.queueCoalesce(queues);
    const mask = pq.queueMask(cur.keys());
    this.done('PERQUEUE', pq.setPerQueueCoalesce(this.port, mask, [...cur.values()].map(c => ({ ...c, ...change }))));
  }

  /** The queues ethtool's -Q addresses without a mask: max(rx, tx) + combined. */
  private allQueues(): number[] {
    const ch = this.channels();
    const n = Math.min(Math.max(ch.rx_count, ch.tx_count) + ch.combined_count, MAX_NUM_QUEUE);
    return Array.from({ length: n }, (_, q) => q);
  }

  /** A PHY tunable (ETHTOOL_PHY_DOWNSHIFT …): its raw value (PHY_GTUNABLE). */
  phyTunable(id: number): number {
    const [type, len] = id === PHY_TUNABLE.EDPD ? [TUNABLE_TYPE.U16, 2] : [TUNABLE_TYPE.U8, 1];
    return Number(this.tunable(id, type, len, true) ?? 0n);
  }

  /** Set a PHY tunable's raw value (PHY_STUNABLE; the DOWNSHIFT_DEV_* / ETHTOOL_PHY_* special values apply). */
  setPhyTunable(id: number, value: number): void {
    const [type, len, max] = id === PHY_TUNABLE.EDPD ? [TUNABLE_TYPE.U16, 2, 0xffff] : [TUNABLE_TYPE.U8, 1, 0xff];
    if (!Number.isInteger(value) || value < 0 || value > max) throw new UsageError(`${this.name}: PHY tunable ${id} takes 0..${max}`);
    this.setTunable(id, type, len, BigInt(value), true);
  }
}

/**
 * Reads ETHTOOL_GSTATS into one reused buffer. `read()` returns a view of the values that is
 * valid until the next read; it allocates nothing unless the driver's stat count changed.
 */
export class StatsReader {
  names: string[] = [];
  private req: ops.StatsRequest | null = null;
  /** Bumped each time the names were (re)read, so consumers can rebuild their tables. */
  generation = 0;

  constructor(private readonly nic: Nic) {
    this.reload();
  }

  reload(): void {
    this.names = this.nic.strings(ETH_SS.STATS);
    this.req = new ops.StatsRequest(this.nic.port, ETHTOOL.GSTATS, this.names.length);
    this.generation++;
  }

  read(): BigUint64Array {
    for (let attempt = 0; attempt < ops.COUNT_ATTEMPTS; attempt++) {
      const req = this.req!;
      if (req.n === 0) {
        // n_stats 0 asks the kernel for all counters with no room for them: never send it.
        if (this.nic.stringCount(ETH_SS.STATS) === 0) return req.values;
        this.reload();
        continue;
      }
      const r = req.read(this.nic.port);
      if (r === 0) return req.values;
      if (r !== ops.STATS_MOVED) throw this.nic.error('GSTATS', r);
      this.reload(); // the driver's count changed: new names, new buffer
    }
    throw this.nic.error('GSTATS', ERRNO.EAGAIN);
  }
}
