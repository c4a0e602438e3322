/**
 * The validated profile model (what ./load.ts builds from YAML) and the catalog of settings a
 * profile may name: their YAML keys, kernel fields and value kinds.
 */
import type { Expr, Scalar } from './expr';
import { PARAM_GROUPS, ParamGroup, ioctlRows } from '../ethtool/catalog/params';
import { FEC_RESETS_LINK } from '../ethtool/catalog/fec';

export type { Scalar };

/** A place in a profile file, 1-based. */
export interface Pos { file: string; line: number; col: number }

export type ParamType = 'enum' | 'bool' | 'int' | 'string' | 'ifname';

export interface ParamDef {
  name: string;
  type: ParamType;
  values?: string[];
  min?: number;
  max?: number;
  default: Scalar;
  description?: string;
  pos: Pos;
}

/** Where a setting's value comes from. */
export type ValueSrc =
  | { kind: 'lit'; v: Scalar }
  | { kind: 'param'; name: string }
  | { kind: 'max' }
  | { kind: 'cpus' };

export type Group = 'features' | 'ring' | 'channels' | 'coalesce' | 'pause' | 'fec' | 'queues' | 'sysctl' | 'rss';

export interface SettingDef {
  group: Group;
  /** The key as written in the profile (feature alias, ethtool -C name, sysctl template …). */
  key: string;
  value: ValueSrc;
  when?: Expr;
  whenText?: string;
  /** Sysctl only: why it may be absent (printed when it is). */
  absent?: string;
  /** The comment next to the setting in the file. */
  why?: string;
  /** `required: true`: a plan that would skip it (driver lacks it, value out of range …) fails
   * before any change instead. A setting whose `when` is false is not wanted, so not required. */
  required?: boolean;
  /** rss.indir only: the queues of `indir: equal` (a number, a parameter, or `channels`). */
  rssQueues?: ValueSrc;
  pos: Pos;
}

export interface Profile {
  name: string;
  description: string;
  file: string;
  params: ParamDef[];
  settings: SettingDef[];
}

// ---- the catalog ----------------------------------------------------------------------------

/**
 * A numeric setting of a struct group (rings, channels, coalesce, pause), from the kernel
 * catalog's row: its member, int or on/off, and the member of its driver maximum.
 */
export interface FieldSpec { field: string; kind: 'int' | 'bool'; max?: string }

function keysOf(group: ParamGroup): Record<string, FieldSpec> {
  return Object.fromEntries(ioctlRows(group).map(r => [r.key, { field: r.field, kind: r.kind === 'bool' ? 'bool' : 'int', max: r.max }]));
}

export const STRUCT_GROUPS = ['ring', 'channels', 'coalesce', 'pause'] as const;
export type StructGroup = typeof STRUCT_GROUPS[number];

/** Profile keys (ethtool's -G/-L/-C/-A keys) per struct group. */
export const GROUP_KEYS: Readonly<Record<StructGroup, Readonly<Record<string, FieldSpec>>>> = {
  ring: keysOf(PARAM_GROUPS.ring), channels: keysOf(PARAM_GROUPS.channels),
  coalesce: keysOf(PARAM_GROUPS.coalesce), pause: keysOf(PARAM_GROUPS.pause),
};

/** queues: policy words per key. */
export const QUEUE_KEYS: Record<string, { words: string[]; help: string }> = {
  'irq-affinity': { words: ['spread', 'all'], help: 'spread: queue IRQ n on CPU n (round-robin); all: every online CPU' },
  'xps': { words: ['spread', 'off'], help: 'spread: tx queue n used by the CPUs of its IRQ; off: no XPS map' },
  'rps': { words: ['auto', 'all', 'off'], help: 'auto: all CPUs only where rx queues < CPUs, else off; all: always; off: never' },
  'irqbalance': { words: ['ban', 'stop', 'ignore'], help: 'ban: irqbalance leaves the tuned IRQs alone; stop: irqbalance is stopped (started again on rollback); ignore: nothing done' },
};

/** Changing these takes the link down and up on most drivers: ring and channel changes rebuild the
 * queues; a pause or FEC change renegotiates the link. */
export const RESETS_LINK: Record<Group, boolean> = {
  features: false, ring: PARAM_GROUPS.ring.resetsLink, channels: PARAM_GROUPS.channels.resetsLink,
  coalesce: PARAM_GROUPS.coalesce.resetsLink, pause: PARAM_GROUPS.pause.resetsLink, fec: FEC_RESETS_LINK, queues: false, sysctl: false, rss: false,
};
