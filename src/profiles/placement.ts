/**
 * CPU placement: which CPUs serve a NIC's queues. By default the CPUs local to the NIC's NUMA
 * node (/sys/class/net/DEV/device/numa_node and local_cpulist): a packet's descriptors, its
 * buffers and the CPU that touches them then share one memory controller. A device without a
 * NUMA node (-1: one node, or firmware that does not say) or without a device directory
 * (virtual) is served by every online CPU. A profile may ask for every online CPU (`all`) or a
 * list (`0-3,8`). Queue IRQs, XPS and RPS, `channels: cpus` and the CPU-set sysctl values
 * (`@rx-cpus`, `@rx-cpus-mask`, `@other-cpus`) all follow the set chosen here.
 *
 * Also the catalog of sysctls whose text is a CPU set or an IPVS defence mode, so that they are
 * compared by meaning (a mask "03" equals "3"; a list "0,1" equals "0-1").
 */
import type { Profile, Scalar, SettingDef } from './model';
import type { DeviceState } from './state';
import { parseCpuList, formatCpuList, formatMask, maskOf } from '../common/cpus';

/** The queues: cpus value: local (default), all, or a CPU list. */
export type CpuChoice = { kind: 'local' } | { kind: 'all' } | { kind: 'list'; cpus: number[] };

/** A word or CPU list as written in a profile or --set; null when it is neither. */
export function parseCpuChoice(text: string): CpuChoice | null {
  const t = text.trim();
  if (t === 'local') return { kind: 'local' };
  if (t === 'all') return { kind: 'all' };
  const cpus = parseCpuList(t);
  return cpus && cpus.length ? { kind: 'list', cpus } : null;
}

export interface Placement {
  /** The CPUs that serve the device's queues (never empty). */
  cpus: number[];
  /** How they were chosen, for the plan: "local to NUMA node 1", "all online CPUs (no NUMA node)". */
  how: string;
  /** A listed CPU set that has no online CPU: the queue settings are skipped with this reason. */
  problem?: string;
}

/** The CPU set of one device under a choice; online: the online CPUs. */
export function placeDevice(d: Pick<DeviceState, 'dev' | 'numaNode' | 'localCpus'>, online: readonly number[], choice: CpuChoice): Placement {
  if (choice.kind === 'all') return { cpus: [...online], how: 'all online CPUs' };
  if (choice.kind === 'list') {
    const on = choice.cpus.filter(c => online.includes(c));
    if (on.length === 0) return { cpus: [...online], how: `CPUs ${formatCpuList(choice.cpus)}`, problem: `none of the CPUs ${formatCpuList(choice.cpus)} is online (online: ${formatCpuList(online)})` };
    const off = choice.cpus.filter(c => !online.includes(c));
    return { cpus: on, how: `CPUs ${formatCpuList(on)}${off.length ? ` (${formatCpuList(off)} offline)` : ''}` };
  }
  const node = d.numaNode ?? null;
  if (node === null) return { cpus: [...online], how: `all online CPUs (${d.dev} has no NUMA node in sysfs)` };
  if (node < 0) return { cpus: [...online], how: `all online CPUs (${d.dev}'s NUMA node is -1: not known, or one node)` };
  const local = (d.localCpus ?? []).filter(c => online.includes(c));
  if (local.length === 0) return { cpus: [...online], how: `all online CPUs (no online CPU local to ${d.dev}'s NUMA node ${node})` };
  return { cpus: local, how: `local to NUMA node ${node}` };
}

/** The profile's queues: cpus setting, resolved with its parameters (default local). */
export function cpuChoiceOf(profile: Profile, params: Record<string, Scalar>): CpuChoice {
  const s = profile.settings.find(x => x.group === 'queues' && x.key === 'cpus');
  if (!s) return { kind: 'local' };
  const v = s.value.kind === 'lit' ? s.value.v : s.value.kind === 'param' ? params[s.value.name] : 'local';
  return parseCpuChoice(String(v)) ?? { kind: 'local' };
}

/** A queues: cpus value (from a string parameter) that is no CPU choice, as a problem at its line. */
export function cpuChoiceProblem(profile: Profile, params: Record<string, Scalar>): { pos: SettingDef['pos']; key: string; message: string } | null {
  const s = profile.settings.find(x => x.group === 'queues' && x.key === 'cpus');
  if (!s || s.value.kind !== 'param') return null;
  const v = String(params[s.value.name]);
  return parseCpuChoice(v) ? null : { pos: s.pos, key: 'queues.cpus', message: `bad value "${v}" of parameter ${s.value.name}: expected local, all or a CPU list such as 0-3,8` };
}

/** Per device, the CPUs chosen for it. */
export function placements(profile: Profile, params: Record<string, Scalar>, devices: readonly DeviceState[], online: readonly number[]): Map<string, Placement> {
  const choice = cpuChoiceOf(profile, params);
  return new Map(devices.map(d => [d.dev, placeDevice(d, online, choice)]));
}

// ---- CPU-set values of sysctls --------------------------------------------------------------

/** The words a sysctl value may be to name a CPU set of the placement. */
export const CPUSET_VALUES = ['@rx-cpus', '@rx-cpus-mask', '@other-cpus'] as const;
export type CpusetValue = typeof CPUSET_VALUES[number];

export function isCpusetValue(v: unknown): v is CpusetValue {
  return typeof v === 'string' && (CPUSET_VALUES as readonly string[]).includes(v);
}

/**
 * A CPU-set value resolved: the CPUs serving the devices' queues (all devices' sets together),
 * as a list or a mask, or the online CPUs outside that set. `skip` when there is none.
 */
export function cpusetValue(v: CpusetValue, rx: readonly number[], online: readonly number[]): { text: string } | { skip: string } {
  if (v === '@rx-cpus') return { text: formatCpuList(rx) };
  if (v === '@rx-cpus-mask') return { text: formatMask(maskOf(rx)) };
  const other = online.filter(c => !rx.includes(c));
  if (other.length === 0) return { skip: `every online CPU (${formatCpuList(online)}) serves the NIC queues: no other CPU to move this work to` };
  return { text: formatCpuList(other) };
}

/** The union of the placements' CPU sets. */
export function rxCpus(p: ReadonlyMap<string, Placement>): number[] {
  return [...new Set([...p.values()].flatMap(x => x.cpus))].sort((a, b) => a - b);
}

// ---- how sysctl values compare --------------------------------------------------------------

export type SysctlCmp = 'text' | 'mask' | 'cpulist' | 'ipvs-defense';

/** Sysctls whose value is a CPU mask or list, or an IPVS defence mode (1 and 2 are both "automatic"). */
const SYSCTL_CMP: Record<string, SysctlCmp> = {
  'net.core.flow_limit_cpu_bitmap': 'mask',
  'net.core.rps_default_mask': 'mask',
  'net.ipv4.vs.est_cpulist': 'cpulist',
  'net.ipv4.vs.drop_entry': 'ipvs-defense',
  'net.ipv4.vs.drop_packet': 'ipvs-defense',
  'net.ipv4.vs.secure_tcp': 'ipvs-defense',
};

export function sysctlCmp(key: string): SysctlCmp {
  return SYSCTL_CMP[key] ?? 'text';
}

/** The dotted key of a /proc/sys path. */
export function sysctlKeyOf(path: string): string {
  return path.replace(/^\/proc\/sys\//, '').split('/').join('.');
}

export type { SettingDef };
