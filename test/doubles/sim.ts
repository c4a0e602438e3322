/**
 * A simulated NIC behind the Transport seam: it answers ethtool requests the way a driver
 * does (limits, EINVAL beyond maxima, fixed features, EOPNOTSUPP for what it lacks) so the
 * CLI, TUI and profiles can be tested and benchmarked without hardware. Errors can be
 * injected per command, and every request is logged.
 */
import type { Transport } from '../../src/ethtool/transport';
import { decode, encode, StructLayout } from '../../src/ethtool/layout';
import * as S from '../../src/ethtool/structs';
import { ETHTOOL, ETH_SS, ETH_TEST_FL, ETHTOOL_F, FLOW, FLOW_FLAG, RXH, RX_CLS_LOC, RX_CLS_FLOW_DISC, RX_CLS_FLOW_WAKE, ETH_RXFH_CONTEXT_ALLOC, ETH_RXFH_INDIR_NO_CHANGE } from '../../src/ethtool/constants';
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
  /** RSS (GRXRINGS, GRSSH/SRSSH, GRXFHINDIR/SRXFHINDIR); absent: not supported. */
  rss?: SimRss;
  /** Flow hashing (GRXFH/SRXFH): per flow type, the RXH_* fields hashed and those the driver allows. */
  flowHash?: Record<number, { data: number; allowed: number }>;
  /** Classification rules; absent: not supported. */
  rules?: SimRules;
}

export interface SimRss {
  rings: number;
  indir: number[];
  key: Uint8Array;
  /** The active function's bit, and the names of ETH_SS_RSS_HASH_FUNCS. */
  hfunc: number;
  hfuncNames: string[];
  /** Only the old table calls (no GRSSH/SRSSH), as some drivers have. */
  indirOnly?: boolean;
  /** A table was set (not the default): a channel change keeps it, and may not shrink below it. */
  configured?: boolean;
  /** Extra contexts by number (none: contexts not supported). */
  contexts?: Map<number, { indir: number[]; key: Uint8Array; hfunc: number }>;
  maxContexts?: number;
}

export interface SimRules {
  size: number;
  /** The driver picks locations itself (RX_CLS_LOC_SPECIAL in GRXCLSRLCNT's data). */
  driverSelects?: boolean;
  entries: Map<number, { fs: Uint8Array; context: number }>;
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
    rss: {
      rings: queues, indir: Array.from({ length: 128 }, (_, i) => i % queues), key: Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 11) & 0xff),
      hfunc: 1, hfuncNames: ['toeplitz', 'xor', 'crc32'], contexts: new Map(), maxContexts: 4,
    },
    flowHash: {
      [FLOW.TCP_V4]: { data: SDFN, allowed: SDFN }, [FLOW.UDP_V4]: { data: SD, allowed: SDFN },
      [FLOW.TCP_V6]: { data: SDFN, allowed: SDFN }, [FLOW.UDP_V6]: { data: SD, allowed: SDFN },
      [FLOW.SCTP_V4]: { data: SD, allowed: SD }, [FLOW.AH_ESP_V4]: { data: SD, allowed: SD },
    },
    rules: { size: 64, entries: new Map() },
  };
}

const SD = RXH.IP_SRC | RXH.IP_DST;
const SDFN = SD | RXH.L4_B_0_1 | RXH.L4_B_2_3;

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
        // As the kernel's ethtool core and drivers do: an RSS table set by the user must still
        // fit (else EINVAL); a default one is spread again over the new rx queues.
        const rs = d.rss, rx = r.combined_count + r.rx_count;
        if (rs && rx !== rs.rings) {
          if (rs.configured && Math.max(...rs.indir) >= rx) return -E.EINVAL;
          rs.rings = rx;
          if (!rs.configured) rs.indir = rs.indir.map((_, i) => i % rx);
        }
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
        return this.handleRxnfc(d, cmd, buf);
    }
  }

  /** RSS, flow hashing and rules, as the kernel's ethtool core and a driver answer them. */
  private handleRxnfc(d: SimDevice, cmd: number, buf: Uint8Array): number {
    const v = dv(buf);
    const r = d.rss;
    const cfgOf = (ctx: number) => (ctx === 0 ? r : r?.contexts?.get(ctx));
    switch (cmd) {
      case ETHTOOL.GRXRINGS:
        if (!r && !d.rules && !d.flowHash) return -E.EOPNOTSUPP;
        v.setBigUint64(8, BigInt(r?.rings ?? d.channels?.combined_count ?? 1), true);
        return 0;
      case ETHTOOL.GRSSH: {
        if (!r || r.indirOnly) return -E.EOPNOTSUPP;
        const ctx = v.getUint32(4, true), ui = v.getUint32(8, true), uk = v.getUint32(12, true);
        const c = cfgOf(ctx);
        if (!c) return ctx && !r.contexts ? -E.EOPNOTSUPP : -E.ENOENT;
        v.setUint32(8, r.indir.length, true); v.setUint32(12, r.key.length, true);
        if ((ui && ui !== r.indir.length) || (uk && uk !== r.key.length)) return -E.EINVAL;
        if (ui) c.indir.forEach((q, i) => v.setUint32(24 + 4 * i, q, true));
        if (uk) buf.set(c.key, 24 + 4 * ui);
        v.setUint8(16, c.hfunc);
        return 0;
      }
      case ETHTOOL.SRSSH: {
        if (!r || r.indirOnly) return -E.EOPNOTSUPP;
        let ctx = v.getUint32(4, true);
        const ui = v.getUint32(8, true), uk = v.getUint32(12, true), hf = v.getUint8(16);
        if (ui !== ETH_RXFH_INDIR_NO_CHANGE && ui !== 0 && ui !== r.indir.length) return -E.EINVAL;
        if (uk !== 0 && uk !== r.key.length) return -E.EINVAL;
        if (hf && (hf & (hf - 1) || hf >= 1 << r.hfuncNames.length)) return -E.EOPNOTSUPP;
        const create = ctx === ETH_RXFH_CONTEXT_ALLOC;
        if (ctx && !r.contexts) return -E.EOPNOTSUPP;
        if (ctx && !create && ui === 0 && uk === 0) {
          if (!r.contexts!.delete(ctx)) return -E.ENOENT;
          return 0;
        }
        if (ui === 0 && ctx) return -E.EINVAL;
        const indir = ui && ui !== ETH_RXFH_INDIR_NO_CHANGE ? Array.from({ length: ui }, (_, i) => v.getUint32(24 + 4 * i, true)) : null;
        if (indir?.some(q => q >= r.rings)) return -E.EINVAL;
        const indirBytes = ui === ETH_RXFH_INDIR_NO_CHANGE ? 0 : 4 * ui;
        const key = uk ? buf.slice(24 + indirBytes, 24 + indirBytes + uk) : null;
        if (create) {
          if (r.contexts!.size >= (r.maxContexts ?? 4)) return -E.ENOSPC;
          ctx = 1;
          while (r.contexts!.has(ctx)) ctx++;
          r.contexts!.set(ctx, { indir: [...r.indir], key: r.key.slice(), hfunc: r.hfunc });
          v.setUint32(4, ctx, true);
        }
        const c = cfgOf(ctx);
        if (!c) return -E.ENOENT;
        if (indir) c.indir = indir;
        else if (ui === 0) c.indir = c.indir.map((_, i) => i % r.rings);
        if (ctx === 0 && ui !== ETH_RXFH_INDIR_NO_CHANGE) r.configured = ui !== 0;
        if (key) c.key = key;
        if (hf) c.hfunc = hf;
        return 0;
      }
      case ETHTOOL.GRXFHINDIR: {
        if (!r) return -E.EOPNOTSUPP;
        const us = v.getUint32(4, true);
        v.setUint32(4, r.indir.length, true);
        if (us === 0) return 0;
        if (us !== r.indir.length) return -E.EINVAL;
        r.indir.forEach((q, i) => v.setUint32(8 + 4 * i, q, true));
        return 0;
      }
      case ETHTOOL.SRXFHINDIR: {
        if (!r) return -E.EOPNOTSUPP;
        const us = v.getUint32(4, true);
        if (us === 0) { r.indir = r.indir.map((_, i) => i % r.rings); r.configured = false; return 0; }
        if (us !== r.indir.length) return -E.EINVAL;
        const t = Array.from({ length: us }, (_, i) => v.getUint32(8 + 4 * i, true));
        if (t.some(q => q >= r.rings)) return -E.EINVAL;
        r.indir = t;
        r.configured = true;
        return 0;
      }
      case ETHTOOL.GRXFH: case ETHTOOL.SRXFH: {
        if (!d.flowHash) return -E.EOPNOTSUPP;
        const ftRaw = v.getUint32(4, true);
        if ((ftRaw & FLOW_FLAG.RSS) && !cfgOf(v.getUint32(184, true))) return -E.EINVAL;
        const f = d.flowHash[ftRaw & ~FLOW_FLAG.RSS];
        if (!f) return -E.EINVAL;
        if (cmd === ETHTOOL.GRXFH) { v.setBigUint64(8, BigInt(f.data), true); return 0; }
        const data = Number(v.getBigUint64(8, true) & 0xffffffffn);
        if (data & ~f.allowed) return -E.EINVAL;
        f.data = data;
        return 0;
      }
      case ETHTOOL.GRXCLSRLCNT: {
        const t = d.rules;
        if (!t) return -E.EOPNOTSUPP;
        v.setUint32(184, t.entries.size, true);
        v.setBigUint64(8, BigInt(t.size | (t.driverSelects ? RX_CLS_LOC.SPECIAL : 0)), true);
        return 0;
      }
      case ETHTOOL.GRXCLSRLALL: {
        const t = d.rules;
        if (!t) return -E.EOPNOTSUPP;
        const room = v.getUint32(184, true);
        if (room < t.entries.size) return -E.EINVAL;
        v.setBigUint64(8, BigInt(t.size), true);
        [...t.entries.keys()].sort((a, b) => a - b).forEach((loc, i) => v.setUint32(188 + 4 * i, loc, true));
        v.setUint32(184, t.entries.size, true);
        return 0;
      }
      case ETHTOOL.GRXCLSRULE: {
        const e = d.rules?.entries.get(v.getUint32(16 + 160, true));
        if (!d.rules) return -E.EOPNOTSUPP;
        if (!e) return -E.ENOENT;
        buf.set(e.fs, 16);
        v.setUint32(184, e.context, true);
        return 0;
      }
      case ETHTOOL.SRXCLSRLINS: {
        const t = d.rules;
        if (!t) return -E.EOPNOTSUPP;
        const fs = buf.slice(16, 16 + 168);
        const fv = dv(fs);
        let loc = fv.getUint32(160, true);
        const cookie = fv.getBigUint64(152, true);
        const rings = r?.rings ?? 1;
        if (cookie !== RX_CLS_FLOW_DISC && cookie !== RX_CLS_FLOW_WAKE && (cookie & 0xffffffffn) >= BigInt(rings)) return -E.EINVAL;
        const ctx = fv.getUint32(0, true) & FLOW_FLAG.RSS ? v.getUint32(184, true) : 0;
        if (ctx && !cfgOf(ctx)) return -E.EINVAL;
        if (loc & RX_CLS_LOC.SPECIAL) {
          if (!t.driverSelects) return -E.EINVAL;
          const free = Array.from({ length: t.size }, (_, i) => i).filter(i => !t.entries.has(i));
          if (!free.length) return -E.ENOSPC;
          loc = loc === RX_CLS_LOC.FIRST ? free[0] : free[free.length - 1];
        }
        if (loc >= t.size) return -E.EINVAL;
        fv.setUint32(160, loc, true);
        t.entries.set(loc, { fs, context: ctx });
        v.setUint32(16 + 160, loc, true);
        return 0;
      }
      case ETHTOOL.SRXCLSRLDEL: {
        const t = d.rules;
        if (!t) return -E.EOPNOTSUPP;
        return t.entries.delete(v.getUint32(16 + 160, true)) ? 0 : -E.ENOENT;
      }
      default:
        return -E.EOPNOTSUPP;
    }
  }

  private strings(d: SimDevice, ss: number): string[] | undefined {
    if (ss === ETH_SS.STATS) return d.stats.map(s => s.name);
    if (ss === ETH_SS.FEATURES) return d.features.map(f => f.name);
    if (ss === ETH_SS.TEST) return d.tests?.map(t => t.name);
    if (ss === ETH_SS.RSS_HASH_FUNCS) return d.rss?.hfuncNames;
    return undefined;
  }
}
