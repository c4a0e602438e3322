/**
 * The validated profile model (what ./load.ts builds from YAML) and the catalog of settings a
 * profile may name: their YAML keys, kernel fields and value kinds.
 */
import type { Expr, Scalar } from './expr';
import type { Coalesce, Ring, Channels, Pause } from '../device/types';

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

export type Group = 'features' | 'ring' | 'channels' | 'coalesce' | 'pause' | 'queues' | 'sysctl';

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

/** ethtool's names for features (and groups of them) → kernel feature names. */
export const FEATURE_ALIASES: Record<string, string[]> = {
  'rx': ['rx-checksum'], 'rx-checksumming': ['rx-checksum'],
  'tx': ['tx-checksum-ipv4', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'tx-checksum-fcoe-crc', 'tx-checksum-sctp'],
  'tx-checksumming': ['tx-checksum-ipv4', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'tx-checksum-fcoe-crc', 'tx-checksum-sctp'],
  'sg': ['tx-scatter-gather', 'tx-scatter-gather-fraglist'], 'scatter-gather': ['tx-scatter-gather', 'tx-scatter-gather-fraglist'],
  'tso': ['tx-tcp-segmentation', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation', 'tx-tcp6-segmentation'],
  'tcp-segmentation-offload': ['tx-tcp-segmentation', 'tx-tcp-ecn-segmentation', 'tx-tcp-mangleid-segmentation', 'tx-tcp6-segmentation'],
  'gso': ['tx-generic-segmentation'], 'generic-segmentation-offload': ['tx-generic-segmentation'],
  'gro': ['rx-gro'], 'generic-receive-offload': ['rx-gro'],
  'lro': ['rx-lro'], 'large-receive-offload': ['rx-lro'],
  'rxvlan': ['rx-vlan-hw-parse'], 'rx-vlan-offload': ['rx-vlan-hw-parse'],
  'txvlan': ['tx-vlan-hw-insert'], 'tx-vlan-offload': ['tx-vlan-hw-insert'],
  'ntuple': ['rx-ntuple-filter'], 'ntuple-filters': ['rx-ntuple-filter'],
  'rxhash': ['rx-hashing'], 'receive-hashing': ['rx-hashing'],
};

export function featureNames(key: string): string[] {
  return FEATURE_ALIASES[key] ?? [key];
}

type NumKey<T> = { [K in keyof T]: T[K] extends number ? K : never }[keyof T] & string;

export interface FieldSpec<T> { field: NumKey<T>; kind: 'int' | 'bool'; max?: NumKey<T>; resetsLink?: boolean }

export const RING_KEYS: Record<string, FieldSpec<Ring>> = {
  'rx': { field: 'rx_pending', kind: 'int', max: 'rx_max_pending' },
  'tx': { field: 'tx_pending', kind: 'int', max: 'tx_max_pending' },
  'rx-mini': { field: 'rx_mini_pending', kind: 'int', max: 'rx_mini_max_pending' },
  'rx-jumbo': { field: 'rx_jumbo_pending', kind: 'int', max: 'rx_jumbo_max_pending' },
};

export const CHANNEL_KEYS: Record<string, FieldSpec<Channels>> = {
  'combined': { field: 'combined_count', kind: 'int', max: 'max_combined' },
  'rx': { field: 'rx_count', kind: 'int', max: 'max_rx' },
  'tx': { field: 'tx_count', kind: 'int', max: 'max_tx' },
  'other': { field: 'other_count', kind: 'int', max: 'max_other' },
};

export const COALESCE_KEYS: Record<string, FieldSpec<Coalesce>> = {
  'adaptive-rx': { field: 'use_adaptive_rx_coalesce', kind: 'bool' },
  'adaptive-tx': { field: 'use_adaptive_tx_coalesce', kind: 'bool' },
  'rx-usecs': { field: 'rx_coalesce_usecs', kind: 'int' },
  'rx-frames': { field: 'rx_max_coalesced_frames', kind: 'int' },
  'rx-usecs-irq': { field: 'rx_coalesce_usecs_irq', kind: 'int' },
  'rx-frames-irq': { field: 'rx_max_coalesced_frames_irq', kind: 'int' },
  'tx-usecs': { field: 'tx_coalesce_usecs', kind: 'int' },
  'tx-frames': { field: 'tx_max_coalesced_frames', kind: 'int' },
  'tx-usecs-irq': { field: 'tx_coalesce_usecs_irq', kind: 'int' },
  'tx-frames-irq': { field: 'tx_max_coalesced_frames_irq', kind: 'int' },
  'stats-block-usecs': { field: 'stats_block_coalesce_usecs', kind: 'int' },
  'pkt-rate-low': { field: 'pkt_rate_low', kind: 'int' },
  'rx-usecs-low': { field: 'rx_coalesce_usecs_low', kind: 'int' },
  'rx-frames-low': { field: 'rx_max_coalesced_frames_low', kind: 'int' },
  'tx-usecs-low': { field: 'tx_coalesce_usecs_low', kind: 'int' },
  'tx-frames-low': { field: 'tx_max_coalesced_frames_low', kind: 'int' },
  'pkt-rate-high': { field: 'pkt_rate_high', kind: 'int' },
  'rx-usecs-high': { field: 'rx_coalesce_usecs_high', kind: 'int' },
  'rx-frames-high': { field: 'rx_max_coalesced_frames_high', kind: 'int' },
  'tx-usecs-high': { field: 'tx_coalesce_usecs_high', kind: 'int' },
  'tx-frames-high': { field: 'tx_max_coalesced_frames_high', kind: 'int' },
  'sample-interval': { field: 'rate_sample_interval', kind: 'int' },
};

export const PAUSE_KEYS: Record<string, FieldSpec<Pause>> = {
  'autoneg': { field: 'autoneg', kind: 'bool' },
  'rx': { field: 'rx_pause', kind: 'bool' },
  'tx': { field: 'tx_pause', kind: 'bool' },
};

/** queues: policy words per key. */
export const QUEUE_KEYS: Record<string, { words: string[]; help: string }> = {
  'irq-affinity': { words: ['spread', 'all'], help: 'spread: queue IRQ n on CPU n (round-robin); all: every online CPU' },
  'xps': { words: ['spread', 'off'], help: 'spread: tx queue n used by the CPUs of its IRQ; off: no XPS map' },
  'rps': { words: ['auto', 'all', 'off'], help: 'auto: all CPUs only where rx queues < CPUs, else off; all: always; off: never' },
};

export const STRUCT_GROUPS = ['ring', 'channels', 'coalesce', 'pause'] as const;
export type StructGroup = typeof STRUCT_GROUPS[number];

export const GROUP_KEYS: Record<StructGroup, Record<string, FieldSpec<never> | FieldSpec<Ring> | FieldSpec<Channels> | FieldSpec<Coalesce> | FieldSpec<Pause>>> = {
  ring: RING_KEYS, channels: CHANNEL_KEYS, coalesce: COALESCE_KEYS, pause: PAUSE_KEYS,
};

/** Changing these takes the link down and up on most drivers: ring and channel changes rebuild the
 * queues; a pause change renegotiates the link. */
export const RESETS_LINK: Record<Group, boolean> = {
  features: false, ring: true, channels: true, coalesce: false, pause: true, queues: false, sysctl: false,
};
