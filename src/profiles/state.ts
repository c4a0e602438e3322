/**
 * Reading the current state of devices and host — everything a plan is computed from — into
 * plain data (JSON-safe, so that it can be stored as a snapshot). Ethtool settings come
 * through the Nic API over a Transport; queues, IRQs and sysctls through a HostFs. A setting
 * the driver cannot report is recorded as such (with the reason), never thrown.
 */
import type { SettableGroup } from '../device/netlink';
import { Nic } from '../device/nic';
import type { Ring, Channels, Coalesce, Pause, FecParam } from '../ethtool/types';
import type { Transport } from '../ethtool/transport';
import { HostFs, FsError } from '../common/hostfs';
import { parseCpuList, parseInterrupts, queueIrqs } from './cpus';
import { RssState, readRss } from './rss';
import { readFec } from './fec';
import { Got, got } from './got';
export type { Got } from './got';


export interface FeatureInfo {
  names: string[];
  active: Record<string, boolean>;
  requested: Record<string, boolean>;
  /** Features the driver does not let change. */
  fixed: string[];
}

export interface QueueIrq { irq: number; name: string; queue: number; path: string }

export interface DeviceState {
  dev: string;
  driver: string;
  ifindex: number | null;
  features: Got<FeatureInfo>;
  ring: Got<Ring>;
  channels: Got<Channels>;
  coalesce: Got<Coalesce>;
  pause: Got<Pause>;
  rxQueues: number;
  txQueues: number;
  irqs: QueueIrq[];
  /** Queue files (rps_cpus, xps_cpus) and IRQ affinities read, by path; null: absent. */
  files: Record<string, string | null>;
  /** The coalesce parameters (ethtool -C keys) the driver supports, as netlink reports them;
   * absent when there is no netlink to ask (the kernel then refuses unsupported ones on set). */
  coalesceSupported?: string[];
  /** Per group, whether the driver can change it (netlink: an empty SET request); absent: not known. */
  settable?: Partial<Record<SettableGroup, boolean>>;
  /** Coalesce parameters the driver refused when asked for one by one (no netlink list). */
  coalesceRefused?: string[];
  /** The NUMA node of the device (device/numa_node; -1: not known); null: no such file. */
  numaNode?: number | null;
  /** The CPUs of that node (device/local_cpulist); null: no such file. */
  localCpus?: number[] | null;
  /** RSS: rx rings, indirection table, key, hash function and flow hashing (./rss.ts). */
  rss?: RssState;
  /** FEC: the configured and active ETHTOOL_FEC_* bits (./fec.ts); absent in older snapshots. */
  fec?: Got<FecParam>;
}

export interface HostState {
  cpus: number[];
  /** Sysctls read, by /proc/sys path; null: absent. */
  sysctl: Record<string, string | null>;
  devices: DeviceState[];
}

/** What the driver says it supports, from a source other than the ioctl API (netlink). */
export interface Capabilities { coalesce: string[] }

export type { SettableGroup };

export interface Env {
  transport: Transport;
  fs: HostFs;
  /** Asks the driver's capabilities; null (or no probe) when they cannot be asked. */
  probe?: (dev: string) => Capabilities | null;
  /**
   * Asks which groups the driver can change (an empty netlink SET request: it changes nothing but
   * needs CAP_NET_ADMIN). Given by --apply only: a plan or a verify sends no set request.
   */
  settable?: (dev: string) => Partial<Record<SettableGroup, boolean>> | null;
}

export const CPU_ONLINE = '/sys/devices/system/cpu/online';

export function sysfsNet(dev: string): string { return `/sys/class/net/${dev}`; }
export function rpsPath(dev: string, q: number): string { return `${sysfsNet(dev)}/queues/rx-${q}/rps_cpus`; }
export function xpsPath(dev: string, q: number): string { return `${sysfsNet(dev)}/queues/tx-${q}/xps_cpus`; }
export function irqAffinityPath(irq: number): string { return `/proc/irq/${irq}/smp_affinity_list`; }


function readOr(fs: HostFs, path: string): string | null {
  try { return fs.read(path); } catch (e) { if (e instanceof FsError) return null; throw e; }
}

export function onlineCpus(fs: HostFs): number[] {
  const text = readOr(fs, CPU_ONLINE);
  const cpus = text === null ? null : parseCpuList(text);
  return cpus && cpus.length ? cpus : [0];
}

/** The MSI vectors of a device: its own msi_irqs, or its parent's (virtio). */
function msiIrqs(fs: HostFs, dev: string): Set<number> | null {
  for (const dir of [`${sysfsNet(dev)}/device/msi_irqs`, `${sysfsNet(dev)}/device/../msi_irqs`]) {
    let names: string[] | null = null;
    try { names = fs.list(dir); } catch { names = null; }
    if (names && names.length) return new Set(names.map(Number).filter(Number.isInteger));
  }
  return null;
}

/**
 * Read one device. Throws EthtoolError (no such device …) only when the device cannot be
 * talked to at all; each setting the driver refuses to report is recorded as unsupported.
 */
export function readDevice(env: Env, dev: string, nic: Nic = new Nic(dev, env.transport)): DeviceState {
  const driver = nic.driverInfo().driver;
  const features = got(() => {
    const list = nic.features();
    const info: FeatureInfo = { names: list.map(f => f.name), active: {}, requested: {}, fixed: [] };
    for (const f of list) {
      info.active[f.name] = f.active;
      info.requested[f.name] = f.requested;
      if (!f.available) info.fixed.push(f.name);
    }
    return info;
  });
  const ring = got(() => nic.ring());
  const channels = got(() => nic.channels());
  const coalesce = got(() => nic.coalesce());
  const pause = got(() => nic.pause());

  const fs = env.fs;
  const files: Record<string, string | null> = {};
  let queueDirs: string[] = [];
  try { queueDirs = fs.list(`${sysfsNet(dev)}/queues`) ?? []; } catch { queueDirs = []; }
  const count = (prefix: string) => queueDirs.filter(d => new RegExp(`^${prefix}-\\d+$`).test(d)).length;
  const rxQueues = count('rx'), txQueues = count('tx');
  for (let q = 0; q < rxQueues; q++) files[rpsPath(dev, q)] = readOr(fs, rpsPath(dev, q));
  for (let q = 0; q < txQueues; q++) files[xpsPath(dev, q)] = readOr(fs, xpsPath(dev, q));

  const interrupts = readOr(fs, '/proc/interrupts');
  const irqs: QueueIrq[] = interrupts === null ? [] :
    queueIrqs(dev, parseInterrupts(interrupts), msiIrqs(fs, dev)).map(q => ({ ...q, path: irqAffinityPath(q.irq) }));
  for (const q of irqs) files[q.path] = readOr(fs, q.path);

  const idx = readOr(fs, `${sysfsNet(dev)}/ifindex`);
  const caps = env.probe?.(dev) ?? null;
  const node = readOr(fs, `${sysfsNet(dev)}/device/numa_node`);
  const local = readOr(fs, `${sysfsNet(dev)}/device/local_cpulist`);
  const numaNode = node === null || !/^\s*-?\d+\s*$/.test(node) ? null : Number(node.trim());
  return {
    dev, driver, ifindex: idx === null ? null : Number(idx.trim()),
    features, ring, channels, coalesce, pause, rxQueues, txQueues, irqs, files, rss: readRss(nic), fec: readFec(nic),
    numaNode, localCpus: local === null ? null : parseCpuList(local),
    ...(caps ? { coalesceSupported: [...caps.coalesce].sort() } : {}),
    ...settableOf(env, dev),
  };
}

function settableOf(env: Env, dev: string): { settable?: Partial<Record<SettableGroup, boolean>> } {
  const s = env.settable?.(dev) ?? null;
  return s && Object.keys(s).length ? { settable: s } : {};
}

export function readHost(env: Env, devs: readonly string[], sysctlPaths: readonly string[], nics?: Map<string, Nic>): HostState {
  const devices = devs.map(d => readDevice(env, d, nics?.get(d)));
  const sysctl: Record<string, string | null> = {};
  for (const p of sysctlPaths) sysctl[p] = readOr(env.fs, p);
  return { cpus: onlineCpus(env.fs), sysctl, devices };
}

/** Interfaces that carry a default route (IPv4 /proc/net/route, IPv6 /proc/net/ipv6_route). */
export function defaultRouteDevices(fs: HostFs): Set<string> {
  const out = new Set<string>();
  const v4 = readOr(fs, '/proc/net/route');
  for (const line of (v4 ?? '').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[1] === '00000000' && f[7] === '00000000') out.add(f[0]);
  }
  const v6 = readOr(fs, '/proc/net/ipv6_route');
  for (const line of (v6 ?? '').split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 10 && /^0{32}$/.test(f[0]) && f[1] === '00' && f[9] !== 'lo') out.add(f[9]);
  }
  return out;
}
