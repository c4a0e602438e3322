/**
 * A simulated NIC behind the Transport seam: it answers ethtool requests the way a driver
 * does (limits, EINVAL beyond maxima, fixed features, EOPNOTSUPP for what it lacks) so the
 * CLI, TUI and profiles can be tested and benchmarked without hardware. Errors can be
 * injected per command, and every request is logged.
 */
import type { Transport } from '../../src/ethtool/transport';
import { decode, encode, StructLayout } from '../../src/ethtool/layout';
import * as S from '../../src/ethtool/structs';
import { ETHTOOL, ETH_SS, ETH_TEST_FL, ETHTOOL_F } from '../../src/ethtool/constants';
import { ERRNO } from '../../src/ethtool/errno';
import type { Ring, Channels, Pause, Coalesce, WolInfo } from '../../src/ethtool/types';

export interface SimFeature { name: string; active: boolean; fixed?: boolean; requested?: boolean }

export interface SimDevice {
  name: string;
  driver: string;
  bus_info?: string;
  permaddr?: number[];
  link?: boolean;
  ring?: Ring;
  channels?: Channels;
  pause?: Pause;
  coalesce?: Coalesce;
  /** The coalesce fields the driver supports (struct member names); absent: all. As the kernel
   * does, an SCOALESCE with a non-zero value in any other field is refused with EOPNOTSUPP. */
  coalesceSupported?: string[];
  msglvl?: number;
  wol?: WolInfo;
  features: SimFeature[];
  stats: { name: string; value: bigint }[];
  tests?: { name: string; value: bigint }[];
  regs?: Uint8Array;
  eeprom?: Uint8Array;
  /** ETHTOOL_FEC_* masks (configured, active); absent: FEC requests are not supported. */
  fec?: { fec: number; active_fec: number };
}

export type Injector = (ifname: string, cmd: number, seq: number) => number | undefined;

const E = ERRNO;
type Dict = Record<string, number>;

function dv(b: Uint8Array): DataView { return new DataView(b.buffer, b.byteOffset, b.byteLength); }

export const SIM_FEATURE_NAMES = [
  'tx-scatter-gather', 'tx-checksum-ipv4', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'highdma',
  'tx-scatter-gather-fraglist', 'tx-vlan-hw-insert', 'rx-vlan-hw-parse', 'rx-vlan-filter', 'vlan-challenged',
  'tx-generic-segmentation', 'tx-lockless', 'netns-local', 'rx-gro', 'rx-lro', 'tx-tcp-segmentation',
  'tx-gso-robust', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation', 'tx-tcp6-segmentation',
  'tx-fcoe-segmentation', 'tx-gre-segmentation', 'tx-gre-csum-segmentation', 'tx-ipxip4-segmentation',
  'tx-ipxip6-segmentation', 'tx-udp_tnl-segmentation', 'tx-udp_tnl-csum-segmentation', 'tx-gso-partial',
  'tx-tunnel-remcsum-segmentation', 'tx-sctp-segmentation', 'tx-esp-segmentation', 'tx-udp-segmentation',
  'tx-gso-list', 'tx-checksum-fcoe-crc', 'tx-checksum-sctp', 'fcoe-mtu', 'rx-ntuple-filter', 'rx-hashing',
  'rx-checksum', 'tx-nocache-copy', 'loopback', 'rx-fcs', 'rx-all', 'tx-vlan-stag-hw-insert',
  'rx-vlan-stag-hw-parse', 'rx-vlan-stag-filter', 'l2-fwd-offload', 'hw-tc-offload', 'esp-hw-offload',
  'esp-tx-csum-hw-offload', 'rx-udp_tunnel-port-offload', 'tls-hw-tx-offload', 'tls-hw-rx-offload',
  'rx-gro-hw', 'tls-hw-record', 'rx-gro-list', 'macsec-hw-offload', 'rx-udp-gro-forwarding',
  'hsr-tag-ins-offload', 'hsr-tag-rm-offload', 'hsr-fwd-offload', 'hsr-dup-offload',
];

/** A plausible multi-queue NIC: 4 combined channels of 8, rings 256 of 4096, LRO on. */
export function simDevice(name: string, opts: { queues?: number; maxQueues?: number; extraStats?: number; driver?: string } = {}): SimDevice {
  const queues = opts.queues ?? 4;
  const stats: { name: string; value: bigint }[] = [
    { name: 'rx_packets', value: 0n }, { name: 'tx_packets', value: 0n }, { name: 'rx_bytes', value: 0n },
    { name: 'tx_bytes', value: 0n }, { name: 'rx_dropped', value: 0n }, { name: 'rx_errors', value: 0n },
    { name: 'rx_missed_errors', value: 0n }, { name: 'tx_timeout_count', value: 0n },
  ];
  for (let q = 0; q < queues; q++) {
    stats.push({ name: `rx_queue_${q}_packets`, value: 0n }, { name: `rx_queue_${q}_bytes`, value: 0n });
    stats.push({ name: `tx_queue_${q}_packets`, value: 0n }, { name: `tx_queue_${q}_bytes`, value: 0n });
  }
  for (let i = 0; i < (opts.extraStats ?? 0); i++) stats.push({ name: `hw_counter_${i}`, value: 0n });
  const fixedOff = new Set(['tx-lockless', 'netns-local', 'vlan-challenged', 'loopback', 'fcoe-mtu', 'l2-fwd-offload', 'tx-fcoe-segmentation']);
  const on = new Set(['tx-scatter-gather', 'tx-checksum-ip-generic', 'highdma', 'tx-generic-segmentation', 'rx-gro', 'rx-lro', 'tx-tcp-segmentation', 'tx-tcp6-segmentation', 'rx-checksum', 'rx-hashing', 'rx-vlan-hw-parse', 'tx-vlan-hw-insert']);
  return {
    name, driver: opts.driver ?? 'simnic', bus_info: '0000:00:10.0', permaddr: [0x02, 0, 0, 0, 0, 0x10], link: true,
    ring: { rx_max_pending: 4096, rx_mini_max_pending: 0, rx_jumbo_max_pending: 0, tx_max_pending: 4096, rx_pending: 256, rx_mini_pending: 0, rx_jumbo_pending: 0, tx_pending: 256 },
    channels: { max_rx: 0, max_tx: 0, max_other: 1, max_combined: opts.maxQueues ?? 8, rx_count: 0, tx_count: 0, other_count: 1, combined_count: queues },
    pause: { autoneg: 0, rx_pause: 1, tx_pause: 1 },
    coalesce: Object.fromEntries(S.ethtool_coalesce.fields.filter(f => f.name !== 'cmd').map(f => [f.name, 0])) as unknown as Coalesce,
    msglvl: 0x7, wol: { supported: 0x20, wolopts: 0, sopass: [0, 0, 0, 0, 0, 0] },
    features: SIM_FEATURE_NAMES.map(n => ({ name: n, active: on.has(n), fixed: fixedOff.has(n) })),
    stats,
  };
}

export class SimTransport implements Transport {
  readonly devices = new Map<string, SimDevice>();
  readonly log: { ifname: string; cmd: number }[] = [];
  injector: Injector | undefined;
  private seq = 0;

  constructor(devs: SimDevice[] = []) { for (const d of devs) this.devices.set(d.name, d); }

  alloc(size: number): Uint8Array { return new Uint8Array(size); }
  close(): void { /* nothing to release */ }

  ioctl(ifname: string, buf: Uint8Array): number {
    const cmd = dv(buf).getUint32(0, true);
    const seq = this.seq++;
    this.log.push({ ifname, cmd });
    const dev = this.devices.get(ifname);
    if (!dev) return -E.ENODEV;
    const injected = this.injector?.(ifname, cmd, seq);
    if (injected) return -injected;
    return this.handle(dev, cmd, buf);
  }

  async ioctlAsync(ifname: string, buf: Uint8Array): Promise<number> { return this.ioctl(ifname, buf); }

  private getStruct(L: StructLayout, obj: object | undefined, buf: Uint8Array): number {
    if (!obj) return -E.EOPNOTSUPP;
    encode(L, obj as Record<string, number>, buf);
    return 0;
  }

  private handle(d: SimDevice, cmd: number, buf: Uint8Array): number {
    const v = dv(buf);
    switch (cmd) {
      case ETHTOOL.GDRVINFO:
        encode(S.ethtool_drvinfo, {
          driver: d.driver, version: '1.0', bus_info: d.bus_info ?? '', n_stats: d.stats.length,
          testinfo_len: d.tests?.length ?? 0, eedump_len: d.eeprom?.length ?? 0, regdump_len: d.regs?.length ?? 0,
        }, buf);
        return 0;
      case ETHTOOL.GLINK: v.setUint32(4, d.link === false ? 0 : 1, true); return 0;
      case ETHTOOL.GPERMADDR: {
        const a = d.permaddr ?? [];
        if (v.getUint32(4, true) < a.length) return -E.E2BIG;
        v.setUint32(4, a.length, true); buf.set(a, 8); return 0;
      }
      case ETHTOOL.GRINGPARAM: return this.getStruct(S.ethtool_ringparam, d.ring, buf);
      case ETHTOOL.SRINGPARAM: {
        if (!d.ring) return -E.EOPNOTSUPP;
        const r = decode(S.ethtool_ringparam, buf) as Dict;
        if (r.rx_pending > d.ring.rx_max_pending || r.tx_pending > d.ring.tx_max_pending ||
          r.rx_mini_pending > d.ring.rx_mini_max_pending || r.rx_jumbo_pending > d.ring.rx_jumbo_max_pending ||
          r.rx_pending === 0 || r.tx_pending === 0) return -E.EINVAL;
        Object.assign(d.ring, { rx_pending: r.rx_pending, tx_pending: r.tx_pending, rx_mini_pending: r.rx_mini_pending, rx_jumbo_pending: r.rx_jumbo_pending });
        return 0;
      }
      case ETHTOOL.GCHANNELS: return this.getStruct(S.ethtool_channels, d.channels, buf);
      case ETHTOOL.SCHANNELS: {
        const c = d.channels;
        if (!c) return -E.EOPNOTSUPP;
        const r = decode(S.ethtool_channels, buf) as Dict;
        if (r.rx_count > c.max_rx || r.tx_count > c.max_tx || r.other_count > c.max_other ||
          r.combined_count > c.max_combined || r.combined_count + Math.min(r.rx_count, r.tx_count) === 0) return -E.EINVAL;
        Object.assign(c, { rx_count: r.rx_count, tx_count: r.tx_count, other_count: r.other_count, combined_count: r.combined_count });
        return 0;
      }
      case ETHTOOL.GPAUSEPARAM: return this.getStruct(S.ethtool_pauseparam, d.pause, buf);
      case ETHTOOL.SPAUSEPARAM: {
        if (!d.pause) return -E.EOPNOTSUPP;
        const r = decode(S.ethtool_pauseparam, buf) as Dict;
        d.pause = { autoneg: r.autoneg, rx_pause: r.rx_pause, tx_pause: r.tx_pause };
        return 0;
      }
      case ETHTOOL.GCOALESCE: return this.getStruct(S.ethtool_coalesce, d.coalesce, buf);
      case ETHTOOL.SCOALESCE: {
        if (!d.coalesce) return -E.EOPNOTSUPP;
        const { cmd: _c, ...r } = decode(S.ethtool_coalesce, buf) as Dict;
        if (d.coalesceSupported && Object.entries(r).some(([f, n]) => n !== 0 && !d.coalesceSupported!.includes(f))) return -E.EOPNOTSUPP;
        d.coalesce = r as unknown as Coalesce;
        return 0;
      }
      case ETHTOOL.GMSGLVL: if (d.msglvl === undefined) return -E.EOPNOTSUPP; v.setUint32(4, d.msglvl, true); return 0;
      case ETHTOOL.SMSGLVL: if (d.msglvl === undefined) return -E.EOPNOTSUPP; d.msglvl = v.getUint32(4, true); return 0;
      case ETHTOOL.GWOL: return this.getStruct(S.ethtool_wolinfo, d.wol, buf);
      case ETHTOOL.SWOL: {
        if (!d.wol) return -E.EOPNOTSUPP;
        const r = decode(S.ethtool_wolinfo, buf) as Record<string, number & number[]>;
        if (r.wolopts & ~d.wol.supported) return -E.EINVAL;
        d.wol = { ...d.wol, wolopts: r.wolopts, sopass: r.sopass };
        return 0;
      }
      case ETHTOOL.GSSET_INFO: {
        const mask = v.getBigUint64(8, true);
        let out = 0n; let i = 0;
        for (let ss = 0; ss < 64; ss++) {
          if (!(mask & (1n << BigInt(ss)))) continue;
          const n = this.strings(d, ss)?.length;
          if (n === undefined) continue;
          out |= 1n << BigInt(ss);
          v.setUint32(16 + 4 * i++, n, true);
        }
        v.setBigUint64(8, out, true);
        return 0;
      }
      case ETHTOOL.GSTRINGS: {
        const ss = v.getUint32(4, true);
        const names = this.strings(d, ss);
        if (!names) return -E.EOPNOTSUPP;
        // Like the kernel: write our own count, and as many strings as fit in what was asked.
        const room = v.getUint32(8, true);
        v.setUint32(8, names.length, true);
        names.slice(0, room).forEach((n, i) => {
          const off = 12 + 32 * i;
          buf.fill(0, off, off + 32);
          Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).write(n, off, 31, 'latin1');
        });
        return 0;
      }
      case ETHTOOL.GSTATS: {
        const room = v.getUint32(4, true);
        v.setUint32(4, d.stats.length, true);
        d.stats.slice(0, room).forEach((s, i) => v.setBigUint64(8 + 8 * i, s.value, true));
        return 0;
      }
      case ETHTOOL.GFEATURES: {
        const blocks = Math.ceil(d.features.length / 32);
        if (v.getUint32(4, true) < blocks) { v.setUint32(4, blocks, true); return -E.E2BIG; }
        v.setUint32(4, blocks, true);
        d.features.forEach((f, i) => {
          const base = 8 + 16 * (i >> 5);
          const bit = 1 << (i & 31);
          const or = (off: number, on: boolean) => { if (on) v.setUint32(base + off, (v.getUint32(base + off, true) | bit) >>> 0, true); };
          or(0, !f.fixed); or(4, f.requested ?? f.active); or(8, f.active); or(12, !!f.fixed);
        });
        return 0;
      }
      case ETHTOOL.SFEATURES: {
        const blocks = Math.ceil(d.features.length / 32);
        if (v.getUint32(4, true) !== blocks) return -E.EINVAL;
        let ret = 0;
        d.features.forEach((f, i) => {
          const base = 8 + 8 * (i >> 5);
          const bit = 1 << (i & 31);
          if (!(v.getUint32(base, true) & bit)) return;
          const want = (v.getUint32(base + 4, true) & bit) !== 0;
          f.requested = want;
          if (f.fixed) { if (want !== f.active) ret |= ETHTOOL_F.WISH; return; }
          f.active = want;
        });
        return ret;
      }
      case ETHTOOL.TEST: {
        if (!d.tests) return -E.EOPNOTSUPP;
        const flags = v.getUint32(4, true);
        let failed = false;
        d.tests.forEach((t, i) => { v.setBigUint64(16 + 8 * i, t.value, true); if (t.value) failed = true; });
        v.setUint32(4, (flags & ~ETH_TEST_FL.FAILED) | (failed ? ETH_TEST_FL.FAILED : 0), true);
        v.setUint32(12, d.tests.length, true);
        return 0;
      }
      case ETHTOOL.GREGS: {
        if (!d.regs) return -E.EOPNOTSUPP;
        v.setUint32(4, 1, true); v.setUint32(8, d.regs.length, true); buf.set(d.regs, 12); return 0;
      }
      case ETHTOOL.GEEPROM: {
        if (!d.eeprom) return -E.EOPNOTSUPP;
        const off = v.getUint32(8, true), len = v.getUint32(12, true);
        if (off + len > d.eeprom.length) return -E.EINVAL;
        v.setUint32(4, 0x5a5a, true); buf.set(d.eeprom.subarray(off, off + len), 16); return 0;
      }
      case ETHTOOL.GFECPARAM: return this.getStruct(S.ethtool_fecparam, d.fec && { ...d.fec, reserved: 0 }, buf);
      case ETHTOOL.SFECPARAM: {
        if (!d.fec) return -E.EOPNOTSUPP;
        // The kernel refuses an empty mask and NONE; the driver (as netdevsim does) keeps the
        // mask and makes the highest requested mode active (AUTO settles on OFF).
        const fec = v.getUint32(8, true);
        if (fec === 0 || fec & 1) return -E.EINVAL;
        const eff = fec & 2 ? fec | 4 : fec;
        d.fec = { fec, active_fec: 2 ** Math.floor(Math.log2(eff)) };
        return 0;
      }
      default:
        return -E.EOPNOTSUPP;
    }
  }

  private strings(d: SimDevice, ss: number): string[] | undefined {
    if (ss === ETH_SS.STATS) return d.stats.map(s => s.name);
    if (ss === ETH_SS.FEATURES) return d.features.map(f => f.name);
    if (ss === ETH_SS.TEST) return d.tests?.map(t => t.name);
    return undefined;
  }
}
