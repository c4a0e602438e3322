/**
 * The live-counters model behind `ethkit --top`: sampling (sysfs + ETHTOOL_GSTATS), rates from
 * measured monotonic time, per-queue grouping and imbalance, highlighting decisions, history,
 * and the operator's view state (selection, filter, sort, pause, interval, zero). No terminal
 * code here: the blessed view and the --count printer both read this model.
 */
import type { Transport } from '../ethtool/transport';
import { Nic, StatsReader } from '../device/nic';
import { EthtoolError } from '../device/errors';
import { StdStats, StdOpener } from './stdstats';
import { troubleClass } from './trouble';
import { CounterSet } from './counters';
import { queueLayout, imbalance, QueueLayout, QueueMetric } from './queues';
import { SysfsDevice, SYSFS_NET, listNetDevices } from './sysfs';
import { History } from './history';
import { CpuSampler, TextReader } from './cpus';
import { EventLog, TopEvent, linkChangeText } from './events';

export type SortKey = 'name' | 'value' | 'rate';
export const SORT_KEYS: readonly SortKey[] = ['name', 'value', 'rate'];
/** Interval steps for '+'/'-' (seconds). */
export const INTERVAL_STEPS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60];
/** Prefix of kernel netdev counters (sysfs statistics/*) in the counter table. */
export const SYS_PREFIX = 'sys:';

/** History series indices. */
export const H_RX_BITS = 0, H_TX_BITS = 1, H_RX_PKTS = 2, H_TX_PKTS = 3;

export interface Summary {
  rxBits: number; txBits: number; rxPkts: number; txPkts: number;
  /** rx_dropped + tx_dropped + rx_missed_errors, per second */
  drops: number;
  /** rx_errors + tx_errors, per second */
  errors: number;
}

/** Which counters feed the summary, by index in one CounterSet (-1: absent). */
interface SummaryIndex { rxBytes: number; txBytes: number; rxPkts: number; txPkts: number; drops: number[]; errors: number[] }

function summaryIndex(c: CounterSet): SummaryIndex | null {
  const i = (n: string) => c.indexOf(n);
  const idx = { rxBytes: i('rx_bytes'), txBytes: i('tx_bytes'), rxPkts: i('rx_packets'), txPkts: i('tx_packets'),
    drops: [i('rx_dropped'), i('tx_dropped'), i('rx_missed_errors')].filter(x => x >= 0),
    errors: [i('rx_errors'), i('tx_errors')].filter(x => x >= 0) };
  return idx.rxBytes >= 0 || idx.rxPkts >= 0 || idx.txBytes >= 0 || idx.txPkts >= 0 ? idx : null;
}

export type DriverStatsStatus = 'ok' | 'none' | 'unsupported' | 'error';

/** One device in a --record line: the raw inputs of a sample (u64 values as decimal strings). */
export interface RecordedDevice {
  name: string; present: boolean; operstate: string; speed_mbps: number | null; ifindex: number;
  /** monotonic ns right after this device was read (decimal string; the record's mono_ns when absent) */
  ns?: string;
  sys: { names: readonly string[]; values: string[] };
  driver: { status: string; names: readonly string[]; values: string[] };
}

export class DeviceState {
  present = false;
  /** Monotonic ms when it was last seen gone (null while present). */
  goneSinceMs: number | null = null;
  /** Times the device vanished and came back (or was replaced). */
  returns = 0;
  everSeen = false;
  readonly sysfs: SysfsDevice;
  /** Kernel netdev counters (sysfs statistics/*). */
  readonly sys = new CounterSet();
  /** Driver counters (ETHTOOL_GSTATS). */
  readonly drv = new CounterSet();
  drvStatus: DriverStatsStatus = 'none';
  drvError = '';
  /** Bumped whenever either counter set's names change (the view rebuilds its row list). */
  layoutGeneration = 0;
  queues: QueueLayout = queueLayout([]);
  /** Per-queue rates of the selected metrics (length = queues.count). */
  qRxPkts = new Float64Array(0);
  qTxPkts = new Float64Array(0);
  qRxBytes = new Float64Array(0);
  qTxBytes = new Float64Array(0);
  /** Per-queue sum of trouble metrics' rates. */
  qAlarm = new Float64Array(0);
  rxImbalance = NaN;
  txImbalance = NaN;
  summary: Summary = { rxBits: 0, txBits: 0, rxPkts: 0, txPkts: 0, drops: 0, errors: 0 };
  /** Trouble counters (drops/errors/misses…) that moved in the last interval. */
  alarmsMoving = 0;
  /**
   * Trouble by class across drivers (rx_drop, rx_missed, crc …): per class the rate of its
   * busiest counter (the max, as totals and per-queue counters of one class overlap); only
   * classes that moved.
   */
  trouble = new Map<string, number>();
  private alarmClass: (string | null)[][] = [];
  /** Measured length of the last interval (ns); 0 before two samples. */
  elapsedNs = 0n;
  readonly history: History;

  private nic: Nic | null = null;
  private reader: Pick<StatsReader, 'names' | 'generation' | 'read'> | null = null;
  private readerGen = -1;
  private sysNames: readonly string[] | null = null;
  private lastNs: bigint | null = null;
  private sumIdx: { set: CounterSet; idx: SummaryIndex } | null = null;
  private alarmIdx: { set: CounterSet; idx: number[] }[] = [];

  /** The netlink standard statistics (eth-mac, eth-phy, eth-ctrl, rmon) beside the driver's names. */
  private readonly std: StdStats | null;

  constructor(readonly name: string, private readonly transport: Transport | null, sysfsRoot: string, historyLength: number, std: boolean | StdOpener = false) {
    this.std = std && transport ? new StdStats(name, typeof std === 'function' ? std : undefined) : null;
    this.sysfs = new SysfsDevice(name, sysfsRoot);
    this.history = new History(4, historyLength);
  }

  /** Total rows of the counter table (kernel counters first, then driver counters). */
  get counterCount(): number { return this.sys.names.length + this.drv.names.length; }

  /** Display name of table row r. */
  counterName(r: number): string {
    const n = this.sys.names.length;
    return r < n ? SYS_PREFIX + this.sys.names[r] : this.drv.names[r - n];
  }
  counterSet(r: number): [CounterSet, number] {
    const n = this.sys.names.length;
    return r < n ? [this.sys, r] : [this.drv, r - n];
  }

  private relayout(): void {
    this.layoutGeneration++;
    this.queues = queueLayout(this.drv.names);
    const q = this.queues.count;
    this.qRxPkts = new Float64Array(q); this.qTxPkts = new Float64Array(q);
    this.qRxBytes = new Float64Array(q); this.qTxBytes = new Float64Array(q);
    this.qAlarm = new Float64Array(q);
    const s = summaryIndex(this.sys);
    const d = summaryIndex(this.drv);
    this.sumIdx = s ? { set: this.sys, idx: s } : d ? { set: this.drv, idx: d } : null;
    this.alarmIdx = [this.sys, this.drv].map(set => {
      const idx: number[] = [];
      for (let i = 0; i < set.alarm.length; i++) if (set.alarm[i]) idx.push(i);
      return { set, idx };
    });
    this.alarmClass = this.alarmIdx.map(({ set, idx }) => idx.map(i => troubleClass(set.names[i]) ?? 'other'));
  }

  private markGone(nowMs: number): void {
    if (this.present || this.goneSinceMs === null) this.goneSinceMs = nowMs;
    this.present = false;
    this.reader = null;
    this.nic = null;
    this.lastNs = null;
    this.sys.rate.fill(0); this.drv.rate.fill(0);
    this.computeDerived();
  }

  /** Read the driver counters; returns false when the device is gone. */
  private readDriver(): BigUint64Array | null | false {
    if (!this.transport || this.drvStatus === 'unsupported') return null;
    try {
      if (!this.reader) {
        this.nic ??= new Nic(this.name, this.transport);
        this.reader = this.nic.statsReader();
        this.readerGen = -1;
        this.std?.reset();
      }
      const v = this.reader.read();
      this.drvStatus = 'ok';
      return this.std ? this.std.merge(this.reader, v) : v;
    } catch (e) {
      this.reader = null;
      if (e instanceof EthtoolError) {
        if (e.kind === 'no-device') return false;
        if (e.kind === 'unsupported') { this.drvStatus = 'unsupported'; this.drvError = e.message; return null; }
      }
      this.drvStatus = 'error';
      this.drvError = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return null;
    }
  }

  /** Take one sample; `nowNs` is read right after the device's counters were read. */
  sample(clock: () => bigint): void {
    const res = this.sysfs.sample();
    if (res === 'gone') { this.markGone(Number(clock() / 1000000n)); return; }
    if (res === 'recreated') {
      // A new device under this name (maybe another driver): fresh names from a fresh reader.
      this.reader = null;
      this.nic = null;
      if (this.drvStatus === 'unsupported') this.drvStatus = 'none';
    }
    const drvValues = this.readDriver();
    this.apply(res, drvValues, clock());
  }

  /**
   * One recorded sample (--replay) through the same path as a live one: the recorded sysfs
   * and driver values stand in for the reads.
   */
  sampleRecorded(r: RecordedDevice, nowNs: bigint): void {
    if (!r.present) { this.markGone(Number(nowNs / 1000000n)); return; }
    const fs = this.sysfs;
    const res: 'ok' | 'recreated' = fs.present && fs.ifindex === r.ifindex ? 'ok' : 'recreated';
    fs.present = true; fs.operstate = r.operstate; fs.speedMbps = r.speed_mbps; fs.ifindex = r.ifindex;
    if (!sameNames(fs.statNames, r.sys.names)) fs.statNames = r.sys.names.slice();
    if (fs.values.length !== r.sys.values.length) fs.values = new BigUint64Array(r.sys.values.length);
    r.sys.values.forEach((v, i) => { fs.values[i] = BigInt(v); });
    let drv: BigUint64Array | null = null;
    this.drvStatus = r.driver.status as DriverStatsStatus;
    if (r.driver.status === 'ok') {
      const names = r.driver.names.slice();
      let reader = this.reader;
      if (!reader || !sameNames(reader.names, names)) {
        const gen = (reader?.generation ?? 0) + 1;
        const vals = new BigUint64Array(names.length);
        reader = this.reader = { names, generation: gen, read: () => vals };
      }
      drv = reader.read();
      r.driver.values.forEach((v, i) => { drv![i] = BigInt(v); });
    }
    this.apply(res, drv, nowNs);
  }

  /** The raw inputs of the last sample, as --record writes them. */
  recorded(): RecordedDevice {
    const fs = this.sysfs;
    if (!this.present) return { name: this.name, present: false, operstate: '', speed_mbps: null, ifindex: 0, sys: { names: [], values: [] }, driver: { status: this.drvStatus, names: [], values: [] } };
    const drvVals = this.drvStatus === 'ok' && this.reader ? this.lastDrv : null;
    return {
      name: this.name, present: true, operstate: fs.operstate, speed_mbps: fs.speedMbps, ifindex: fs.ifindex,
      ...(this.lastNs !== null ? { ns: String(this.lastNs) } : {}),
      sys: { names: fs.statNames, values: Array.from(fs.values, String) },
      driver: { status: this.drvStatus, names: drvVals ? this.drv.names : [], values: drvVals ? Array.from(drvVals, String) : [] },
    };
  }

  private lastDrv: BigUint64Array | null = null;

  private apply(res: 'ok' | 'recreated', drvValues: BigUint64Array | null | false, nowNs: bigint): void {
    const nowMs = Number(nowNs / 1000000n);
    if (drvValues === false) { this.markGone(nowMs); return; }
    this.lastDrv = drvValues;
    if (res === 'recreated' || !this.present) {
      if (this.everSeen) this.returns++;
      this.everSeen = true;
      this.present = true;
      this.goneSinceMs = null;
      this.sys.rebase();
      this.drv.rebase();
      this.lastNs = null;
    }
    let changed = false;
    if (this.sysfs.statNames !== this.sysNames) {
      this.sysNames = this.sysfs.statNames;
      this.sys.setNames(this.sysNames);
      changed = true;
    }
    if (drvValues) {
      const reader = this.reader!;
      const gen = reader.generation * 1000 + (this.std?.generation ?? 0);
      if (gen !== this.readerGen) {
        this.readerGen = gen;
        const names = this.std?.names(reader.names) ?? reader.names;
        if (!sameNames(names, this.drv.names)) { this.drv.setNames(names); changed = true; }
      }
    } else if (this.drvStatus !== 'error' && this.drv.names.length) {
      this.drv.setNames([]); // the driver has no statistics
      changed = true;
    }
    if (changed || this.layoutGeneration === 0) this.relayout();
    const elapsed = this.lastNs === null ? 0n : nowNs - this.lastNs;
    this.lastNs = nowNs;
    this.elapsedNs = elapsed;
    this.sys.update(this.sysfs.values, elapsed, nowMs);
    if (drvValues) this.drv.update(drvValues, elapsed, nowMs);
    else { this.drv.rate.fill(0); this.drv.rebase(); } // transient failure: no rates this time
    this.computeDerived();
    if (elapsed > 0n) {
      const s = this.summary;
      this.history.push([s.rxBits, s.txBits, s.rxPkts, s.txPkts]);
    }
  }

  private computeDerived(): void {
    const s = this.summary;
    const si = this.sumIdx;
    if (si) {
      const r = si.set.rate, x = si.idx;
      s.rxBits = x.rxBytes >= 0 ? r[x.rxBytes] * 8 : 0;
      s.txBits = x.txBytes >= 0 ? r[x.txBytes] * 8 : 0;
      s.rxPkts = x.rxPkts >= 0 ? r[x.rxPkts] : 0;
      s.txPkts = x.txPkts >= 0 ? r[x.txPkts] : 0;
      s.drops = si.set.sumRates(x.drops);
      s.errors = si.set.sumRates(x.errors);
    } else {
      s.rxBits = s.txBits = s.rxPkts = s.txPkts = s.drops = s.errors = 0;
    }
    let moving = 0;
    this.trouble.clear();
    this.alarmIdx.forEach(({ set, idx }, k) => {
      const cls = this.alarmClass[k];
      idx.forEach((i, j) => {
        const r = set.rate[i];
        if (!(r > 0)) return;
        moving++;
        const c = cls?.[j] ?? 'other';
        if (r > (this.trouble.get(c) ?? 0)) this.trouble.set(c, r);
      });
    });
    this.alarmsMoving = moving;
    const q = this.queues, rate = this.drv.rate;
    const fill = (out: Float64Array, m: QueueMetric | null) => {
      for (let k = 0; k < q.count; k++) { const i = m ? m.index[k] : -1; out[k] = i >= 0 ? rate[i] : 0; }
    };
    fill(this.qRxPkts, q.rxPackets); fill(this.qTxPkts, q.txPackets);
    fill(this.qRxBytes, q.rxBytes); fill(this.qTxBytes, q.txBytes);
    this.qAlarm.fill(0);
    for (const m of q.alarms) for (let k = 0; k < q.count; k++) { const i = m.index[k]; if (i >= 0) this.qAlarm[k] += rate[i]; }
    this.rxImbalance = q.rxPackets ? imbalance(this.qRxPkts) : NaN;
    this.txImbalance = q.txPackets ? imbalance(this.qTxPkts) : NaN;
  }

  /** Highlight level of table row r at monotonic time nowMs: 2 moving now, 1 moved recently, 0. */
  level(r: number, nowMs: number, holdMs: number): 0 | 1 | 2 {
    const [set, i] = this.counterSet(r);
    if (!set.alarm[i]) return 0;
    if (set.rate[i] > 0) return 2;
    const t = set.movedAt[i];
    return t > 0 && nowMs - t <= holdMs ? 1 : 0;
  }

  zero(): void { this.sys.zero(); this.drv.zero(); }

  close(): void { this.sysfs.close(); this.std?.close(); }
}

export interface TopOptions {
  /** Devices to show; null = every non-loopback device (new ones are picked up as they appear). */
  names: string[] | null;
  /** ETHTOOL_GSTATS transport; null to read sysfs only. */
  transport: Transport | null;
  sysfsRoot?: string;
  /** Monotonic clock in ns (process.hrtime.bigint by default). */
  clock?: () => bigint;
  intervalS?: number;
  historyLength?: number;
  /** How long a trouble counter stays highlighted after it last moved (ms). */
  holdMs?: number;
  /** /proc reads of the CPU panel (the machine's by default). */
  proc?: { read?: TextReader; root?: string; sysNet?: string };
  /** --replay: the recorded samples shown instead of live reads. */
  replay?: RecordLine[];
  /** Also read the netlink standard statistics (std:GROUP:Name counters); a function opens the source. */
  standardStats?: boolean | StdOpener;
}

/** One line of a --record file (schema: docs/top-record.md). */
export interface RecordLine {
  record: 1;
  sample: number;
  time: string;
  /** monotonic clock at the sample, ns (decimal string) */
  mono_ns: string;
  interval_s: number;
  devices: RecordedDevice[];
  proc: {
    softnet_stat: string | null; softirqs: string | null; interrupts: string | null;
    /** IRQ → affinity list, for the NIC queue IRQs */
    affinity: Record<string, string>;
    /** device → MSI vectors (its own or its parent's msi_irqs) */
    msi: Record<string, number[]>;
    /** IRQ → CPU list the applied profile set (from the profiles' snapshot store) */
    intent?: Record<string, string>;
  };
  /**
   * Events since the previous record: ethtool netlink notifications, and link events when
   * `link_events` is 'notified' (else replay derives them again from the samples).
   */
  events?: TopEvent[];
  /** 'notified': link events came from RTNLGRP_LINK and are in `events`; 'sampled' (or absent): derived from operstate. */
  link_events?: 'notified' | 'sampled';
  /** what the view showed: the --count --json sample object */
  view?: object;
}

export class TopModel {
  readonly devices: DeviceState[] = [];
  selected = 0;
  paused = false;
  intervalS = 1;
  /** Monotonic ns of the last sample. */
  private sampleNs = 0n;
  filter = '';
  sort: SortKey = 'name';
  /** Samples taken (excluding paused ticks). */
  samples = 0;
  readonly holdMs: number;
  readonly clock: () => bigint;
  private readonly root: string;
  private readonly auto: boolean;
  private readonly historyLength: number;
  /** Cached filtered+sorted row list of the selected device. */
  private rowCache: { dev: DeviceState; gen: number; filter: string; rows: Int32Array; rank: Int32Array } | null = null;
  private sorted = new Int32Array(0);
  /** Per-CPU softnet/softirq/queue-IRQ rates. */
  readonly cpus: CpuSampler;

  /** Link and driver events (the view's event line). */
  readonly events = new EventLog();
  /** Events of this sample (link changes found now, notifications since the last sample). */
  sampleEvents: TopEvent[] = [];
  private lastLink = new Map<string, string>();
  /** Link events come from RTNLGRP_LINK notifications (watchLinks), not from comparing samples. */
  linkNotified = false;
  /** The operstate last sampled for `name` ('gone' when absent; undefined before the first sample). */
  sampledLink(name: string): string | undefined { return this.lastLink.get(name); }
  /** Called after each live sample (--record writes a line). */
  onSample: (() => void) | null = null;
  /** --replay: records, the next one to show, and the clock of the one shown. */
  readonly replay: RecordLine[] | null;
  replayAt = 0;
  private replayNs = 0n;

  constructor(private readonly opts: TopOptions) {
    this.replay = opts.replay ?? null;
    if (this.replay) {
      const cur = () => this.replay![Math.max(0, this.replayAt - 1)]?.proc;
      const read: TextReader = p => {
        const pr = cur();
        if (!pr) return null;
        if (p === '/proc/net/softnet_stat') return pr.softnet_stat;
        if (p === '/proc/softirqs') return pr.softirqs;
        if (p === '/proc/interrupts') return pr.interrupts;
        const m = /^\/proc\/irq\/(\d+)\/effective_affinity_list$/.exec(p);
        return m ? pr.affinity[m[1]] ?? null : null;
      };
      this.cpus = new CpuSampler(read, '/proc', '/nonexistent', dev => cur()?.msi[dev] ?? [], () => {
        const m = new Map<number, string>();
        for (const [irq, v] of Object.entries(cur()?.intent ?? {})) m.set(Number(irq), v);
        return m;
      });
      this.clock = () => this.replayNs;
      this.intervalS = this.replay[1]?.interval_s ?? this.replay[0]?.interval_s ?? 1;
    } else {
      this.cpus = new CpuSampler(opts.proc?.read, opts.proc?.root, opts.proc?.sysNet ?? opts.sysfsRoot);
      this.clock = opts.clock ?? process.hrtime.bigint;
    }
    this.root = opts.sysfsRoot ?? SYSFS_NET;
    if (!this.replay) this.intervalS = opts.intervalS ?? 1;
    this.holdMs = opts.holdMs ?? 10000;
    this.historyLength = opts.historyLength ?? 300;
    this.auto = opts.names === null && !this.replay;
    const recorded = this.replay ? [...new Set(this.replay.flatMap(r => r.devices.map(d => d.name)))] : null;
    for (const n of recorded ?? opts.names ?? listNetDevices(this.root)) this.add(n);
  }

  private add(name: string): DeviceState {
    const d = new DeviceState(name, this.opts.transport, this.root, this.historyLength, this.replay ? false : this.opts.standardStats ?? false);
    this.devices.push(d);
    return d;
  }

  get current(): DeviceState | undefined { return this.devices[this.selected]; }

  nowMs(): number { return Number(this.clock() / 1000000n); }

  /** Sample every device (no-op while paused). */
  sample(): void {
    if (this.paused) return;
    if (this.replay) { this.sampleReplay(); return; }
    if (this.auto) {
      const known = new Set(this.devices.map(d => d.name));
      for (const n of listNetDevices(this.root)) if (!known.has(n)) this.add(n);
    }
    for (const d of this.devices) d.sample(this.clock);
    this.sampleNs = this.clock();
    this.cpus.sample(this.devices.filter(d => d.present).map(d => d.name), this.sampleNs);
    this.linkEvents();
    this.samples++;
    this.onSample?.();
  }

  /** Link changes since the previous sample become events; then this sample's events are taken. */
  private linkEvents(time = new Date().toISOString()): void {
    for (const d of this.devices) {
      const now = d.present ? d.sysfs.operstate : 'gone';
      const before = this.lastLink.get(d.name);
      this.lastLink.set(d.name, now);
      if (before === undefined || before === now || this.linkNotified) continue;
      this.events.push({ time, dev: d.name, source: 'link', text: linkChangeText(before, now) });
    }
    this.sampleEvents = this.events.takeNew();
  }

  /** --replay: show the next record (false at the end: the last one stays). */
  private sampleReplay(): boolean {
    const r = this.replay![this.replayAt];
    if (!r) return false;
    this.replayAt++;
    this.replayNs = BigInt(r.mono_ns);
    const absent: RecordedDevice = { name: '', present: false, operstate: '', speed_mbps: null, ifindex: 0, sys: { names: [], values: [] }, driver: { status: 'none', names: [], values: [] } };
    for (const d of this.devices) {
      const rd = r.devices.find(x => x.name === d.name) ?? absent;
      d.sampleRecorded(rd, rd.ns ? BigInt(rd.ns) : this.replayNs);
    }
    this.cpus.sample(r.devices.filter(x => x.present).map(x => x.name), this.replayNs);
    for (const e of r.events ?? []) this.events.push(e);
    this.linkNotified = r.link_events === 'notified';
    this.linkEvents(r.time);
    this.samples++;
    return true;
  }

  /** --replay, paused: one record forward. */
  step(): boolean { return this.replay ? this.sampleReplay() : false; }

  /** --replay: the wall-clock time of the record shown. */
  get replayTime(): string | null { return this.replay ? this.replay[Math.max(0, this.replayAt - 1)]?.time ?? null : null; }

  get replayEnded(): boolean { return !!this.replay && this.replayAt >= this.replay.length; }

  /** The last sample's raw inputs as one --record line. */
  recordLine(view?: object): RecordLine {
    const c = this.cpus;
    const affinity: Record<string, string> = {};
    for (const [irq, a] of c.affinity) affinity[irq] = a;
    const msi: Record<string, number[]> = {};
    for (const [dev, list] of c.msi) msi[dev] = list;
    const intent: Record<string, string> = {};
    for (const [irq, v] of c.intent) intent[irq] = v;
    return {
      record: 1, sample: this.samples, time: (view as { time?: string } | undefined)?.time ?? new Date().toISOString(), mono_ns: String(this.replay ? this.replayNs : this.sampleNs), interval_s: this.intervalS,
      devices: this.devices.map(d => d.recorded()),
      proc: { ...c.raw, affinity, msi, intent },
      events: this.linkNotified ? this.sampleEvents : this.sampleEvents.filter(e => e.source === 'netlink'),
      link_events: this.linkNotified ? 'notified' : 'sampled',
      ...(view ? { view } : {}),
    };
  }

  select(delta: number): void {
    const n = this.devices.length;
    if (n === 0) return;
    this.selected = ((this.selected + delta) % n + n) % n;
  }

  cycleSort(): SortKey {
    this.sort = SORT_KEYS[(SORT_KEYS.indexOf(this.sort) + 1) % SORT_KEYS.length];
    return this.sort;
  }

  setFilter(f: string): void { this.filter = f.trim(); }

  togglePause(): boolean {
    this.paused = !this.paused;
    // Resuming: the next sample re-primes, so rates never average over the paused stretch.
    if (!this.paused && !this.replay) for (const d of this.devices) { d.sys.rebase(); d.drv.rebase(); }
    return this.paused;
  }

  /** Step the interval up (+1) or down (-1) through INTERVAL_STEPS. */
  stepInterval(dir: 1 | -1): number {
    const cur = this.intervalS;
    if (dir > 0) this.intervalS = INTERVAL_STEPS.find(s => s > cur + 1e-9) ?? INTERVAL_STEPS[INTERVAL_STEPS.length - 1];
    else this.intervalS = [...INTERVAL_STEPS].reverse().find(s => s < cur - 1e-9) ?? INTERVAL_STEPS[0];
    return this.intervalS;
  }

  zero(): void { for (const d of this.devices) d.zero(); }

  /** Row numbers of the selected device's counter table, filtered and sorted. */
  rows(dev: DeviceState | undefined = this.current): Int32Array {
    if (!dev) return new Int32Array(0);
    let c = this.rowCache;
    if (!c || c.dev !== dev || c.gen !== dev.layoutGeneration || c.filter !== this.filter) {
      const f = this.filter.toLowerCase();
      const keep: number[] = [];
      for (let r = 0; r < dev.counterCount; r++) if (!f || dev.counterName(r).toLowerCase().includes(f)) keep.push(r);
      keep.sort((a, b) => cmpName(dev.counterName(a), dev.counterName(b)));
      const rank = new Int32Array(dev.counterCount);
      keep.forEach((r, k) => { rank[r] = k; });
      c = this.rowCache = { dev, gen: dev.layoutGeneration, filter: this.filter, rows: Int32Array.from(keep), rank };
    }
    if (this.sort === 'name') return c.rows;
    if (this.sorted.length !== c.rows.length) this.sorted = new Int32Array(c.rows.length);
    const out = this.sorted, rank = c.rank;
    out.set(c.rows);
    const ns = dev.sys.names.length;
    if (this.sort === 'rate') {
      const sr = dev.sys.rate, dr = dev.drv.rate;
      const key = (r: number) => (r < ns ? sr[r] : dr[r - ns]);
      out.sort((a, b) => key(b) - key(a) || rank[a] - rank[b]);
    } else {
      const key = (r: number) => (r < ns ? dev.sys.shown(r) : dev.drv.shown(r - ns));
      out.sort((a, b) => { const x = key(a), y = key(b); return x > y ? -1 : x < y ? 1 : rank[a] - rank[b]; });
    }
    return out;
  }

  close(): void { for (const d of this.devices) d.close(); }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Name order with numbers compared numerically (rx_queue_2 before rx_queue_10). */
export function cmpName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
