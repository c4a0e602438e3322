/**
 * The parameter groups of one shape — read with one GET and written with one SET, over the
 * ioctl (a fixed kernel struct) or netlink (one attribute per setting): rings, channels,
 * coalescing, pause. Each setting is one row: the struct member and the netlink attribute, its
 * ethtool key (also the profile key), its JSON name, its value kind, its maximum, and the text
 * ethtool puts before its value. The CLI's parsers, printers, help and JSON and the profile
 * schema all read these rows; adding a key is adding a row.
 */
import * as S from '../structs';
import { ETHTOOL } from '../constants';
import type { StructLayout } from '../layout';

export interface ParamRow {
  /** Member of the kernel struct; absent for a setting only netlink has. */
  readonly field?: string;
  /** Its netlink attribute (../netlink/catalog.ts names), and its maximum's. */
  readonly nl: string;
  readonly nlMax?: string;
  /** What ethtool's netlink path prints before the value, where it differs from `text`. */
  readonly nlText?: string;
  /** The set command's key (`ethtool -G rx N`), also the profile key. */
  readonly key: string;
  /** Name in JSON output; the maximum, if any, is `<json>-max`. */
  readonly json: string;
  readonly kind: 'u32' | 'bool';
  /** Member holding the driver's maximum for this setting. */
  readonly max?: string;
  /** What ethtool prints before the value ("RX:\t\t", "rx-usecs: "). */
  readonly text: string;
  /** Coalesce: the block of lines it is printed in (blocks are separated by an empty line). */
  readonly block?: number;
}

export type ParamGroupName = 'ring' | 'channels' | 'coalesce' | 'pause';

export interface ParamGroup {
  readonly name: ParamGroupName;
  readonly layout: StructLayout;
  readonly getCmd: number;
  readonly setCmd: number;
  /** In ethtool's print order (and its netlink parse order). */
  readonly rows: readonly ParamRow[];
  /** Changing it takes the link down and up on most drivers (queues rebuilt, link renegotiated). */
  readonly resetsLink: boolean;
}

type Nl = Pick<ParamRow, 'nl' | 'nlMax' | 'nlText'>;
const u = (field: string | undefined, key: string, text: string, nl: Nl, max?: string): ParamRow => ({ field, key, json: key, kind: 'u32', text, max, ...nl });
const b = (field: string | undefined, key: string, text: string, nl: Nl, json = key): ParamRow => ({ field, key, json, kind: 'bool', text, ...nl });
const c = (block: number, field: string, key: string, nl: string, nlText?: string): ParamRow =>
  ({ field, key, json: key, kind: 'u32', text: `${key}: `, block, nl, nlText });

export const RING: ParamGroup = {
  name: 'ring', layout: S.ethtool_ringparam, getCmd: ETHTOOL.GRINGPARAM, setCmd: ETHTOOL.SRINGPARAM, resetsLink: true,
  rows: [
    u('rx_pending', 'rx', 'RX:\t\t', { nl: 'rx', nlMax: 'rx_max' }, 'rx_max_pending'),
    u('rx_mini_pending', 'rx-mini', 'RX Mini:\t', { nl: 'rx_mini', nlMax: 'rx_mini_max' }, 'rx_mini_max_pending'),
    u('rx_jumbo_pending', 'rx-jumbo', 'RX Jumbo:\t', { nl: 'rx_jumbo', nlMax: 'rx_jumbo_max' }, 'rx_jumbo_max_pending'),
    u('tx_pending', 'tx', 'TX:\t\t', { nl: 'tx', nlMax: 'tx_max' }, 'tx_max_pending'),
    u(undefined, 'rx-buf-len', 'RX Buf Len:\t\t', { nl: 'rx_buf_len' }),
    u(undefined, 'cqe-size', 'CQE Size:\t\t', { nl: 'cqe_size' }),
    b(undefined, 'tx-push', 'TX Push:\t', { nl: 'tx_push' }),
  ],
};

export const CHANNELS: ParamGroup = {
  name: 'channels', layout: S.ethtool_channels, getCmd: ETHTOOL.GCHANNELS, setCmd: ETHTOOL.SCHANNELS, resetsLink: true,
  rows: [
    u('rx_count', 'rx', 'RX:\t\t', { nl: 'rx_count', nlMax: 'rx_max' }, 'max_rx'),
    u('tx_count', 'tx', 'TX:\t\t', { nl: 'tx_count', nlMax: 'tx_max' }, 'max_tx'),
    u('other_count', 'other', 'Other:\t\t', { nl: 'other_count', nlMax: 'other_max' }, 'max_other'),
    u('combined_count', 'combined', 'Combined:\t', { nl: 'combined_count', nlMax: 'combined_max' }, 'max_combined'),
  ],
};

export const COALESCE: ParamGroup = {
  name: 'coalesce', layout: S.ethtool_coalesce, getCmd: ETHTOOL.GCOALESCE, setCmd: ETHTOOL.SCOALESCE, resetsLink: false,
  rows: [
    { ...b('use_adaptive_rx_coalesce', 'adaptive-rx', 'Adaptive RX: ', { nl: 'use_adaptive_rx' }), block: 0 },
    { ...b('use_adaptive_tx_coalesce', 'adaptive-tx', '  TX: ', { nl: 'use_adaptive_tx' }), block: 0 },
    c(1, 'stats_block_coalesce_usecs', 'stats-block-usecs', 'stats_block_usecs'),
    c(1, 'rate_sample_interval', 'sample-interval', 'rate_sample_interval'),
    c(1, 'pkt_rate_low', 'pkt-rate-low', 'pkt_rate_low'),
    c(1, 'pkt_rate_high', 'pkt-rate-high', 'pkt_rate_high'),
    c(2, 'rx_coalesce_usecs', 'rx-usecs', 'rx_usecs'),
    c(2, 'rx_max_coalesced_frames', 'rx-frames', 'rx_max_frames'),
    c(2, 'rx_coalesce_usecs_irq', 'rx-usecs-irq', 'rx_usecs_irq'),
    c(2, 'rx_max_coalesced_frames_irq', 'rx-frames-irq', 'rx_max_frames_irq'),
    c(3, 'tx_coalesce_usecs', 'tx-usecs', 'tx_usecs'),
    c(3, 'tx_max_coalesced_frames', 'tx-frames', 'tx_max_frames'),
    c(3, 'tx_coalesce_usecs_irq', 'tx-usecs-irq', 'tx_usecs_irq'),
    c(3, 'tx_max_coalesced_frames_irq', 'tx-frames-irq', 'tx_max_frames_irq'),
    c(4, 'rx_coalesce_usecs_low', 'rx-usecs-low', 'rx_usecs_low'),
    c(4, 'rx_max_coalesced_frames_low', 'rx-frames-low', 'rx_max_frames_low', 'rx-frame-low: '),
    c(4, 'tx_coalesce_usecs_low', 'tx-usecs-low', 'tx_usecs_low'),
    c(4, 'tx_max_coalesced_frames_low', 'tx-frames-low', 'tx_max_frames_low', 'tx-frame-low: '),
    c(5, 'rx_coalesce_usecs_high', 'rx-usecs-high', 'rx_usecs_high'),
    c(5, 'rx_max_coalesced_frames_high', 'rx-frames-high', 'rx_max_frames_high', 'rx-frame-high: '),
    c(5, 'tx_coalesce_usecs_high', 'tx-usecs-high', 'tx_usecs_high'),
    c(5, 'tx_max_coalesced_frames_high', 'tx-frames-high', 'tx_max_frames_high', 'tx-frame-high: '),
    { ...b(undefined, 'cqe-mode-rx', 'CQE mode RX: ', { nl: 'use_cqe_mode_rx' }), block: 6 },
    { ...b(undefined, 'cqe-mode-tx', '  TX: ', { nl: 'use_cqe_mode_tx' }), block: 6 },
  ],
};

export const PAUSE: ParamGroup = {
  name: 'pause', layout: S.ethtool_pauseparam, getCmd: ETHTOOL.GPAUSEPARAM, setCmd: ETHTOOL.SPAUSEPARAM, resetsLink: true,
  rows: [
    b('autoneg', 'autoneg', 'Autonegotiate:\t', { nl: 'autoneg' }, 'autonegotiate'),
    b('rx_pause', 'rx', 'RX:\t\t', { nl: 'rx' }),
    b('tx_pause', 'tx', 'TX:\t\t', { nl: 'tx' }),
  ],
};

export const PARAM_GROUPS: Readonly<Record<ParamGroupName, ParamGroup>> = { ring: RING, channels: CHANNELS, coalesce: COALESCE, pause: PAUSE };

export function paramRow(group: ParamGroup, key: string): ParamRow | undefined {
  return group.rows.find(r => r.key === key);
}

/** A row the ioctl path has: it names a struct member. */
export type IoctlRow = ParamRow & { readonly field: string };

/** The rows of the ioctl path (the others exist only over netlink). */
export function ioctlRows(group: ParamGroup): IoctlRow[] {
  return group.rows.filter((r): r is IoctlRow => r.field !== undefined);
}
