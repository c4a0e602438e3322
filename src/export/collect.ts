/**
 * One scrape of the devices through the device API (../device): identity, link, driver
 * statistics, the netlink standard statistics groups, ring/channel/coalesce/pause settings and
 * the profile drift, each written to a Sink as samples. A failed read of one source of one device
 * is an `ethkit_scrape_error{device,source}` of 1 and does not stop the scrape; a source the
 * driver does not support (EOPNOTSUPP) is simply absent.
 *
 * Per device, the stat names are read once (again when the driver's count changes) and each stat
 * index gets its metric name and label set then, so a scrape only reads values.
 */
import { Nic, StatsReader, EthtoolError, ERRNO } from '../device';
import type { Transport } from '../ethtool/transport';
import { NicNetlink, STATS_GROUPS } from '../device/netlink';
import type { EthtoolNetlink } from '../ethtool/netlink/client';
import { queueLayout, queueBlocks, isQueueMarker } from '../common/queues';
import { RING, CHANNELS, COALESCE, PAUSE, ioctlRows } from '../ethtool/catalog/params';
import { LINK_MODES, BIT, PORT_BITS, testBit } from '../ethtool/linkmodes';
import { ethtoolStatMetric, queueMetric, standardStatMetric, keyPart } from './names';

export type Kind = 'gauge' | 'counter' | 'untyped';
export type Labels = Readonly<Record<string, string>>;

/** Where samples go (../export/registry.ts: prom-client). */
export interface Sink {
  put(name: string, kind: Kind, help: string, labels: Labels, value: number): void;
}

/** What the profile drift check answers for a device (null: no profile applied). */
export interface Drift { profile: string; drift: number; ok: number; skipped: number }
export type DriftSource = (dev: string) => Drift | null;

export interface CollectOptions {
  transport: Transport;
  /** ethtool netlink (standard statistics, coalesce capabilities); null: ioctl only. */
  netlink?: (() => EthtoolNetlink | null) | null;
  /** Per-queue stats as one metric with a `queue` label (default), or node_exporter's flat names. */
  foldQueues?: boolean;
  drift?: DriftSource | null;
}

interface StatSlot { name: string; help: string; labels: Labels }

const HELP_QUEUE = (dir: string, metric: string) => `Per-queue driver statistic ${dir} ${metric} (ethtool -S), by queue`;
const SPEED_MBPS_TO_BYTES = 1e6 / 8;
const SPEED_UNKNOWN = 0xffffffff;
const DUPLEX_HALF = 0, DUPLEX_FULL = 1;

/** Speed modes of the link-mode catalog, as node_exporter labels them (speed, duplex, mode). */
const SPEED_MODES = LINK_MODES.flatMap(m => {
  const r = /^(\d+)base([^/]*)(?:\/(Half|Full))?$/.exec(m.name);
  return r ? [{ bit: m.bit, speed: Number(r[1]), duplex: r[3] === 'Half' ? 'half' : 'full', mode: `${r[1]}base${r[2]}` }] : [];
});

/** The fixed node_exporter help texts, for the metrics it declares itself. */
const NODE_HELP: Readonly<Record<string, string>> = {
  node_ethtool_received_bytes_total: 'Network interface bytes received',
  node_ethtool_received_dropped_total: 'Number of received frames dropped',
  node_ethtool_received_errors_total: 'Number of received frames with errors',
  node_ethtool_received_packets_total: 'Network interface packets received',
  node_ethtool_transmitted_bytes_total: 'Network interface bytes sent',
  node_ethtool_transmitted_errors_total: 'Number of sent frames with errors',
  node_ethtool_transmitted_packets_total: 'Network interface packets sent',
};

/** How one device's stat indices are exported, for one generation of its stat names. */
export function statSlots(dev: string, names: readonly string[], fold: boolean): (StatSlot | null)[] {
  const slots: (StatSlot | null)[] = new Array(names.length).fill(null);
  const folded = new Set<number>();
  if (fold) {
    names.forEach((n, i) => { if (isQueueMarker(n)) folded.add(i); });
    for (const [i, q] of queueBlocks(names)) {
      slots[i] = { name: queueMetric(q.dir, q.metric), help: HELP_QUEUE(q.dir, q.metric), labels: { device: dev, queue: String(q.queue) } };
      folded.add(i);
    }
    for (const m of queueLayout(names).metrics) {
      const name = queueMetric(m.dir, m.metric);
      const help = HELP_QUEUE(m.dir, m.metric);
      m.index.forEach((i, q) => {
        if (i < 0 || folded.has(i)) return;
        slots[i] = { name, help, labels: { device: dev, queue: String(q) } };
        folded.add(i);
      });
    }
  }
  // As node_exporter: its ethtool library returns the statistics as a map by name, so of a name
  // that repeats (vmxnet3's per-queue blocks) the last one stands; then every stat whose name
  // sanitizes to one another stat has too is dropped.
  const lastOf = new Map<string, number>();
  names.forEach((stat, i) => { if (!folded.has(i)) lastOf.set(stat, i); });
  const byName = new Map<string, number>();
  const clash = new Set<string>();
  [...lastOf.values()].sort((x, y) => x - y).forEach(i => {
    const stat = names[i];
    const name = ethtoolStatMetric(stat);
    if (name === null) return;
    if (byName.has(name)) clash.add(name);
    else byName.set(name, i);
  });
  const device: Labels = { device: dev };
  for (const [name, i] of byName) {
    if (clash.has(name)) continue;
    slots[i] = { name, help: NODE_HELP[name] ?? `Network interface ${names[i].replace(/_*[^0-9A-Za-z_]+_*/g, '_')}`, labels: device };
  }
  return slots;
}

class DeviceState {
  readonly nic: Nic;
  reader: StatsReader | null = null;
  slots: (StatSlot | null)[] = [];
  gen = -1;
  readonly device: Labels;
  private readonly errorLabels = new Map<string, Labels>();
  constructor(readonly name: string, transport: Transport) {
    this.nic = new Nic(name, transport);
    this.device = { device: name };
  }
  errLabels(source: string): Labels {
    let l = this.errorLabels.get(source);
    if (!l) this.errorLabels.set(source, l = { device: this.name, source });
    return l;
  }
}

/** errno of a failed read, or null when it is an error of another kind. */
function errnoOf(e: unknown): number | null {
  return e instanceof EthtoolError ? e.errno : null;
}

export class Collector {
  private readonly devices = new Map<string, DeviceState>();
  private nl: EthtoolNetlink | null | undefined;
  private readonly fold: boolean;

  constructor(private readonly opts: CollectOptions) {
    this.fold = opts.foldQueues ?? true;
  }

  private netlink(): EthtoolNetlink | null {
    if (this.nl === undefined) this.nl = this.opts.netlink ? this.opts.netlink() : null;
    return this.nl;
  }

  /** After a failed netlink request the socket is opened afresh on the next scrape. */
  private dropNetlink(): void {
    try { this.nl?.close(); } catch { /* already gone */ }
    this.nl = undefined;
  }

  close(): void { this.dropNetlink(); }

  /** One scrape of `devs`: samples into `sink`. */
  collect(devs: readonly string[], sink: Sink): void {
    const seen = new Set(devs);
    for (const d of [...this.devices.keys()]) if (!seen.has(d)) this.devices.delete(d);
    for (const d of devs) {
      let st = this.devices.get(d);
      if (!st) this.devices.set(d, st = new DeviceState(d, this.opts.transport));
      this.device(st, sink);
    }
  }

  /** Run one source of a device; its error gauge says whether it failed (EOPNOTSUPP: not supported, no error). */
  private source(st: DeviceState, sink: Sink, source: string, read: () => void): void {
    let failed = 0;
    try {
      read();
    } catch (e) {
      const errno = errnoOf(e);
      if (errno !== ERRNO.EOPNOTSUPP) failed = 1;
      if (errno === null && source === 'std') this.dropNetlink();
    }
    sink.put('ethkit_scrape_error', 'gauge', 'Whether reading this source of the device failed in this scrape (1) or not (0)', st.errLabels(source), failed);
  }

  private device(st: DeviceState, sink: Sink): void {
    const { nic, device } = st;
    const dev = st.name;
    this.source(st, sink, 'info', () => {
      const i = nic.driverInfo();
      sink.put('node_ethtool_info', 'gauge', "A metric with a constant '1' value labeled by bus_info, device, driver, expansion_rom_version, firmware_version, version.",
        { bus_info: i.bus_info, device: dev, driver: i.driver, expansion_rom_version: i.erom_version, firmware_version: i.fw_version, version: i.version }, 1);
    });
    this.source(st, sink, 'link', () => {
      sink.put('ethkit_link_up', 'gauge', 'Whether the link is detected (ETHTOOL_GLINK)', device, nic.link() ? 1 : 0);
      let ls;
      try { ls = nic.linkSettings(); } catch (e) { if (errnoOf(e) === ERRNO.EOPNOTSUPP) return; throw e; }
      if (ls.speed !== 0 && ls.speed !== SPEED_UNKNOWN) sink.put('ethkit_link_speed_bytes', 'gauge', 'Link speed in bytes per second (unknown: absent)', device, ls.speed * SPEED_MBPS_TO_BYTES);
      if (ls.duplex === DUPLEX_FULL || ls.duplex === DUPLEX_HALF) sink.put('ethkit_link_duplex_full', 'gauge', 'Whether the link is full duplex (1) or half (0); unknown: absent', device, ls.duplex === DUPLEX_FULL ? 1 : 0);
      this.linkModes(sink, dev, device, ls.supported, ls.advertising, ls.autoneg);
    });
    this.source(st, sink, 'stats', () => this.stats(st, sink));
    const nl = this.netlink();
    if (nl && nl.has('STATS_GET')) this.source(st, sink, 'std', () => this.standard(new NicNetlink(dev, nl), device, sink));
    this.source(st, sink, 'ring', () => {
      const r = nic.ring() as unknown as Record<string, number>;
      for (const row of ioctlRows(RING)) {
        if (!row.max || !(r[row.max] > 0)) continue;
        const labels = { device: dev, ring: row.key };
        sink.put('ethkit_ring_entries', 'gauge', 'Ring size in descriptors (ethtool -g)', labels, r[row.field]);
        sink.put('ethkit_ring_max_entries', 'gauge', 'Largest ring size the driver allows (ethtool -g pre-set maximums)', labels, r[row.max]);
      }
    });
    this.source(st, sink, 'channels', () => {
      const c = nic.channels() as unknown as Record<string, number>;
      for (const row of ioctlRows(CHANNELS)) {
        if (!row.max || !(c[row.max] > 0)) continue;
        const labels = { device: dev, type: row.key };
        sink.put('ethkit_channels', 'gauge', 'Channels (queues) in use (ethtool -l)', labels, c[row.field]);
        sink.put('ethkit_channels_max', 'gauge', 'Most channels the driver allows (ethtool -l pre-set maximums)', labels, c[row.max]);
      }
    });
    this.source(st, sink, 'coalesce', () => this.coalesce(st, nl, sink));
    this.source(st, sink, 'pause', () => {
      const p = nic.pause();
      sink.put('ethkit_pause_autoneg', 'gauge', 'Whether pause frames are autonegotiated (ethtool -a)', device, p.autoneg ? 1 : 0);
      sink.put('ethkit_pause_enabled', 'gauge', 'Whether pause frames are used in a direction (ethtool -a)', { device: dev, direction: 'rx' }, p.rx_pause ? 1 : 0);
      sink.put('ethkit_pause_enabled', 'gauge', 'Whether pause frames are used in a direction (ethtool -a)', { device: dev, direction: 'tx' }, p.tx_pause ? 1 : 0);
    });
    const drift = this.opts.drift;
    if (drift) {
      this.source(st, sink, 'profile', () => {
        const d = drift(dev);
        if (!d) return;
        const labels = { device: dev, profile: d.profile };
        sink.put('ethkit_profile_drift', 'gauge', 'Settings of the device that differ from the profile last applied to it (0: it still matches; ethkit --verify)', labels, d.drift);
        sink.put('ethkit_profile_settings_ok', 'gauge', 'Settings of the device found as the applied profile says', labels, d.ok);
      });
    }
  }

  private stats(st: DeviceState, sink: Sink): void {
    if (!st.reader) st.reader = st.nic.statsReader();
    const v = st.reader.read();
    if (st.reader.generation !== st.gen) {
      st.slots = statSlots(st.name, st.reader.names, this.fold);
      st.gen = st.reader.generation;
    }
    const slots = st.slots;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s) sink.put(s.name, 'untyped', s.help, s.labels, Number(v[i]));
    }
  }

  private standard(nl: NicNetlink, device: Labels, sink: Sink): void {
    const groups = nl.standardStats(STATS_GROUPS);
    for (const g of STATS_GROUPS) {
      const stats = groups[g];
      if (!stats) continue;
      for (const [k, v] of Object.entries(stats)) {
        sink.put(standardStatMetric(g, k), 'counter', `Standard statistic ${k} of group ${g} (ethtool -S --groups ${g})`, device, Number(v));
      }
    }
  }

  private coalesce(st: DeviceState, nl: EthtoolNetlink | null, sink: Sink): void {
    let values: Record<string, number>;
    let supported: Set<string> | null = null;
    if (nl && nl.has('COALESCE_GET')) {
      const c = new NicNetlink(st.name, nl).coalesce();
      values = c.values as Record<string, number>;
      supported = c.supported;
    } else {
      values = st.nic.coalesce() as unknown as Record<string, number>;
    }
    for (const row of ioctlRows(COALESCE)) {
      if (supported && !supported.has(row.key)) continue;
      const v = values[row.field];
      if (typeof v !== 'number') continue;
      sink.put(`ethkit_coalesce_${keyPart(row.key)}`, 'gauge', `Interrupt coalescing setting ${row.key} (ethtool -c)`, st.device, v);
    }
  }

  /** node_exporter's ethtool collector's link-mode metrics (node_network_*), over every link-mode bit. */
  private linkModes(sink: Sink, dev: string, device: Labels, supported: readonly number[], advertising: readonly number[], autoneg: number): void {
    for (const [which, words] of [['supported', supported], ['advertised', advertising]] as const) {
      const help = which === 'supported' ? 'Combination of speeds and features supported by network device' : 'Combination of speeds and features offered by network device';
      for (const m of SPEED_MODES) {
        if (testBit(words, m.bit)) sink.put(`node_network_${which}_speed_bytes`, 'gauge', help, { device: dev, duplex: m.duplex, mode: m.mode }, m.speed * SPEED_MBPS_TO_BYTES);
      }
      const verb = which === 'supported' ? 'supports' : 'offers';
      sink.put(`node_network_autonegotiate_${which}`, 'gauge', `If this port device ${verb} autonegotiate`, device, testBit(words, BIT.Autoneg) ? 1 : 0);
      sink.put(`node_network_pause_${which}`, 'gauge', `If this port device ${verb} pause frames`, device, testBit(words, BIT.Pause) ? 1 : 0);
      sink.put(`node_network_asymmetricpause_${which}`, 'gauge', `If this port device ${verb} asymmetric pause frames`, device, testBit(words, BIT.Asym_Pause) ? 1 : 0);
    }
    for (const [bit, type] of PORT_BITS) {
      if (testBit(supported, bit)) sink.put('node_network_supported_port_info', 'gauge', 'Type of ports or PHYs supported by network device', { device: dev, type }, 1);
    }
    sink.put('node_network_autonegotiate', 'gauge', 'If this port is using autonegotiate', device, autoneg ? 1 : 0);
  }
}
