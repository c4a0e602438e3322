/**
 * The legacy offload names (ethtool's `rx`, `tso`, `lro` …), once: their long names, the kernel
 * feature names they stand for, and the ioctls or ETHTOOL_GFLAGS bits that carried them before
 * named features. Used by `-k/-K`, by the typed device API and by the profile schema.
 */
import { ETHTOOL, ETH_FLAG } from '../constants';
import type { LegacyOffloadName } from '../types';

export interface LegacyOffload {
  readonly short: LegacyOffloadName;
  readonly long: string;
  /** Kernel feature names it stands for: exact, or prefix*suffix with one wildcard. */
  readonly pattern: string;
  /** Its own GET/SET ioctls, or GFLAGS/SFLAGS when its state is a bit of the flags word. */
  readonly getCmd: number;
  readonly setCmd: number;
  /** Its ETHTOOL_GFLAGS bit, for the flag-backed ones. */
  readonly flag?: number;
  /** Bit in ethtool's combined legacy state word ("off_flags"): the GFLAGS bit, or its own for the others. */
  readonly bit: number;
}

const own = (short: LegacyOffloadName, long: string, pattern: string, getCmd: number, setCmd: number, bit: number): LegacyOffload =>
  ({ short, long, pattern, getCmd, setCmd, bit });
const flag = (short: LegacyOffloadName, long: string, pattern: string, f: number): LegacyOffload =>
  ({ short, long, pattern, getCmd: ETHTOOL.GFLAGS, setCmd: ETHTOOL.SFLAGS, flag: f, bit: f });

/** In ethtool's order, which is also the order of `-k` output. */
export const LEGACY_OFFLOADS: readonly LegacyOffload[] = [
  own('rx', 'rx-checksumming', 'rx-checksum', ETHTOOL.GRXCSUM, ETHTOOL.SRXCSUM, 1 << 0),
  own('tx', 'tx-checksumming', 'tx-checksum-*', ETHTOOL.GTXCSUM, ETHTOOL.STXCSUM, 1 << 1),
  own('sg', 'scatter-gather', 'tx-scatter-gather*', ETHTOOL.GSG, ETHTOOL.SSG, 1 << 2),
  own('tso', 'tcp-segmentation-offload', 'tx-tcp*-segmentation', ETHTOOL.GTSO, ETHTOOL.STSO, 1 << 3),
  own('ufo', 'udp-fragmentation-offload', 'tx-udp-fragmentation', ETHTOOL.GUFO, ETHTOOL.SUFO, 1 << 4),
  own('gso', 'generic-segmentation-offload', 'tx-generic-segmentation', ETHTOOL.GGSO, ETHTOOL.SGSO, 1 << 5),
  own('gro', 'generic-receive-offload', 'rx-gro', ETHTOOL.GGRO, ETHTOOL.SGRO, 1 << 6),
  flag('lro', 'large-receive-offload', 'rx-lro', ETH_FLAG.LRO),
  flag('rxvlan', 'rx-vlan-offload', 'rx-vlan-hw-parse', ETH_FLAG.RXVLAN),
  flag('txvlan', 'tx-vlan-offload', 'tx-vlan-hw-insert', ETH_FLAG.TXVLAN),
  flag('ntuple', 'ntuple-filters', 'rx-ntuple-filter', ETH_FLAG.NTUPLE),
  flag('rxhash', 'receive-hashing', 'rx-hashing', ETH_FLAG.RXHASH),
];

/** The GFLAGS bits that carry legacy offload state. */
export const LEGACY_FLAG_MASK = LEGACY_OFFLOADS.reduce((m, l) => m | (l.flag ?? 0), 0);

/** The row for a short or long legacy name. */
export function legacyOffload(name: string): LegacyOffload | undefined {
  return LEGACY_OFFLOADS.find(l => l.short === name) ?? LEGACY_OFFLOADS.find(l => l.long === name);
}

/** Does kernel feature `name` fall under `pattern` (one optional '*')? */
export function featureMatches(pattern: string, name: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === name;
  const pre = pattern.slice(0, star), suf = pattern.slice(star + 1);
  return name.length >= pre.length + suf.length && name.startsWith(pre) && name.endsWith(suf);
}

/**
 * The kernel features a name given by a user stands for on a device with these feature names:
 * a legacy name's group, else the name itself when the device has it.
 */
export function featuresNamed(name: string, deviceNames: readonly string[]): string[] {
  const l = legacyOffload(name);
  if (l) return deviceNames.filter(n => featureMatches(l.pattern, n));
  return deviceNames.includes(name) ? [name] : [];
}

/**
 * How a device's kernel features fall into the legacy groups, as ethtool maps them for -k:
 * per feature the index into LEGACY_OFFLOADS of the first group whose pattern it matches (or
 * -1), and per group how many features it claims. Features without a name belong to none.
 */
export function offloadGroups(names: readonly (string | null | undefined)[]): { group: number[]; matched: number[] } {
  const group = names.map(n => (n ? LEGACY_OFFLOADS.findIndex(l => featureMatches(l.pattern, n)) : -1));
  const matched = LEGACY_OFFLOADS.map((_, i) => group.filter(g => g === i).length);
  return { group, matched };
}
