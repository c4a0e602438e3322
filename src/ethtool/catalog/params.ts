/**
 * The parameter groups of one shape — a fixed kernel struct read with one GET and written with
 * one SET: rings, channels, coalescing, pause. Each setting is one row: the kernel member, its
 * ethtool key (also the profile key), its JSON name, its value kind, its maximum's member, and
 * the text ethtool puts before its value. The CLI's parser, printer, help and JSON and the
 * profile schema all read these rows; adding a key is adding a row.
 */
import * as S from '../structs';
import { ETHTOOL } from '../constants';
import type { StructLayout } from '../layout';

export interface ParamRow {
  /** Member of the kernel struct. */
  readonly field: string;
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
  /** In ethtool's print order. */
  readonly rows: readonly ParamRow[];
  /** Changing it takes the link down and up on most drivers (queues rebuilt, link renegotiated). */
  readonly resetsLink: boolean;
}

const u = (field: string, key: string, text: string, max?: string, json = key): ParamRow => ({ field, key, json, kind: 'u32', text, max });
const b = (field: string, key: string, text: string, json = key): ParamRow => ({ field, key, json, kind: 'bool', text });
const c = (block: number, field: string, key: string): ParamRow => ({ field, key, json: key, kind: 'u32', text: `${key}: `, block });

export const RING: ParamGroup = {
  name: 'ring', layout: S.ethtool_ringparam, getCmd: ETHTOOL.GRINGPARAM, setCmd: ETHTOOL.SRINGPARAM, resetsLink: true,
  rows: [
    u('rx_pending', 'rx', 'RX:\t\t', 'rx_max_pending'),
    u('rx_mini_pending', 'rx-mini', 'RX Mini:\t', 'rx_mini_max_pending'),
    u('rx_jumbo_pending', 'rx-jumbo', 'RX Jumbo:\t', 'rx_jumbo_max_pending'),
    u('tx_pending', 'tx', 'TX:\t\t', 'tx_max_pending'),
  ],
};

export const CHANNELS: ParamGroup = {
  name: 'channels', layout: S.ethtool_channels, getCmd: ETHTOOL.GCHANNELS, setCmd: ETHTOOL.SCHANNELS, resetsLink: true,
  rows: [
    u('rx_count', 'rx', 'RX:\t\t', 'max_rx'),
    u('tx_count', 'tx', 'TX:\t\t', 'max_tx'),
    u('other_count', 'other', 'Other:\t\t', 'max_other'),
    u('combined_count', 'combined', 'Combined:\t', 'max_combined'),
  ],
};

export const COALESCE: ParamGroup = {
  name: 'coalesce', layout: S.ethtool_coalesce, getCmd: ETHTOOL.GCOALESCE, setCmd: ETHTOOL.SCOALESCE, resetsLink: false,
  rows: [
    { ...b('use_adaptive_rx_coalesce', 'adaptive-rx', 'Adaptive RX: '), block: 0 },
    { ...b('use_adaptive_tx_coalesce', 'adaptive-tx', '  TX: '), block: 0 },
    c(1, 'stats_block_coalesce_usecs', 'stats-block-usecs'),
    c(1, 'rate_sample_interval', 'sample-interval'),
    c(1, 'pkt_rate_low', 'pkt-rate-low'),
    c(1, 'pkt_rate_high', 'pkt-rate-high'),
    c(2, 'rx_coalesce_usecs', 'rx-usecs'),
    c(2, 'rx_max_coalesced_frames', 'rx-frames'),
    c(2, 'rx_coalesce_usecs_irq', 'rx-usecs-irq'),
    c(2, 'rx_max_coalesced_frames_irq', 'rx-frames-irq'),
    c(3, 'tx_coalesce_usecs', 'tx-usecs'),
    c(3, 'tx_max_coalesced_frames', 'tx-frames'),
    c(3, 'tx_coalesce_usecs_irq', 'tx-usecs-irq'),
    c(3, 'tx_max_coalesced_frames_irq', 'tx-frames-irq'),
    c(4, 'rx_coalesce_usecs_low', 'rx-usecs-low'),
    c(4, 'rx_max_coalesced_frames_low', 'rx-frames-low'),
    c(4, 'tx_coalesce_usecs_low', 'tx-usecs-low'),
    c(4, 'tx_max_coalesced_frames_low', 'tx-frames-low'),
    c(5, 'rx_coalesce_usecs_high', 'rx-usecs-high'),
    c(5, 'rx_max_coalesced_frames_high', 'rx-frames-high'),
    c(5, 'tx_coalesce_usecs_high', 'tx-usecs-high'),
    c(5, 'tx_max_coalesced_frames_high', 'tx-frames-high'),
  ],
};

export const PAUSE: ParamGroup = {
  name: 'pause', layout: S.ethtool_pauseparam, getCmd: ETHTOOL.GPAUSEPARAM, setCmd: ETHTOOL.SPAUSEPARAM, resetsLink: true,
  rows: [
    b('autoneg', 'autoneg', 'Autonegotiate:\t', 'autonegotiate'),
    b('rx_pause', 'rx', 'RX:\t\t'),
    b('tx_pause', 'tx', 'TX:\t\t'),
  ],
};

export const PARAM_GROUPS: Readonly<Record<ParamGroupName, ParamGroup>> = { ring: RING, channels: CHANNELS, coalesce: COALESCE, pause: PAUSE };

export function paramRow(group: ParamGroup, key: string): ParamRow | undefined {
  return group.rows.find(r => r.key === key);
}
