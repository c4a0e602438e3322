/**
 * The typed device API's netlink side: what the kernel only tells over netlink, as plain data —
 * which coalesce parameters a driver supports (a COALESCE_GET reply carries only those, or ones
 * set to a non-zero value), the extended ring parameters, the link state with its extended
 * reason, the standard statistics groups — and change notifications. Failures are
 * EthtoolErrors naming the message and the device; when the kernel has no ethtool netlink family
 * (or no socket can be had) open() answers null and callers use the ioctl API alone.
 */
import type { EthtoolNetlink, Reply, Result, Notification } from '../ethtool/netlink/client';
import type { Attrs } from '../ethtool/netlink/attrs';
import type { UserMessage } from '../ethtool/netlink/catalog';
import { ETH_SS } from '../ethtool/constants';
import { COALESCE, RING, ParamRow } from '../ethtool/catalog/params';
import type { Coalesce } from '../ethtool/types';
import { EthtoolError } from './errors';
import type { LinkMonitor } from '../ethtool/netlink/rtnl';
import { EepromPageRequest, MODULE_I2C_ADDRESS_LOW, eepromPageAttrs, eepromPageData } from '../ethtool/netlink/module-eeprom';

/** Extended ring parameters (absent: the driver does not report it). */
export interface RingExtended { rx_buf_len?: number; cqe_size?: number; tx_push?: boolean; tcp_data_split?: 'off' | 'on' }

export interface LinkState {
  link: boolean | null;
  sqi: number | null; sqi_max: number | null;
  /** ETHTOOL_LINK_EXT_STATE_* and its sub-state, when the link is down and the driver says why. */
  ext_state: number | null; ext_substate: number | null;
}

/** One standard statistics group (eth-phy, eth-mac, eth-ctrl, rmon): counter name → value. */
export type StatsGroup = Record<string, bigint>;

/** The standard groups ethtool names, in its order. */
export const STATS_GROUPS = ['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon'] as const;
export type StatsGroupName = typeof STATS_GROUPS[number];

/** The groups whose set operation settable() asks about, and their SET messages. */
export type SettableGroup = 'ring' | 'channels' | 'coalesce' | 'pause';
const SET_MESSAGE: Record<SettableGroup, UserMessage> = { ring: 'RINGS_SET', channels: 'CHANNELS_SET', coalesce: 'COALESCE_SET', pause: 'PAUSE_SET' };

function bitsOfRows(rows: readonly ParamRow[], a: Attrs): string[] {
  return rows.filter(r => a[r.nl] !== undefined).map(r => r.key);
}

export class NicNetlink {
  constructor(readonly name: string, readonly nl: EthtoolNetlink) {}

  /** The machine's netlink context, or null when the kernel or the sandbox gives none. */
  static open(name: string): NicNetlink | null {
    try {
      const { EthtoolNetlink } = require('../ethtool/netlink/client') as typeof import('../ethtool/netlink/client');
      return new NicNetlink(name, EthtoolNetlink.open());
    } catch {
      return null;
    }
  }

  close(): void { this.nl.close(); }

  private reply(msg: UserMessage, r: Result): Reply {
    if (!r.ok) throw new EthtoolError(msg, msg.toLowerCase().replace(/_/g, ' '), this.name, r.errno);
    const rep = r.replies[0];
    if (!rep) throw new EthtoolError(msg, msg.toLowerCase().replace(/_/g, ' '), this.name, 61 /* ENODATA */);
    return rep;
  }

  private get(msg: UserMessage, attrs: Attrs = {}, flags = 0): Attrs {
    return this.reply(msg, this.nl.get(msg, this.name, attrs, { flags })).attrs;
  }

  /**
   * One page read of the module EEPROM (MODULE_EEPROM_GET): `length` bytes at `offset` of
   * `page`/`bank` at I2C address `i2c_address` (0x50 by default; 0x51 is SFF-8472's A2h).
   */
  moduleEepromPage(req: Partial<EepromPageRequest> & { offset: number; length: number }): Uint8Array {
    const full: EepromPageRequest = { page: 0, bank: 0, i2c_address: MODULE_I2C_ADDRESS_LOW, ...req };
    const a = this.get('MODULE_EEPROM_GET', eepromPageAttrs(full));
    const data = eepromPageData(a, full.length);
    if (!data) throw new EthtoolError('MODULE_EEPROM_GET', 'module eeprom get', this.name, 61 /* ENODATA */);
    return data;
  }

  /** Does the kernel have this message? (A kernel without it: the ioctl API is all there is.) */
  has(msg: UserMessage): boolean { return this.nl.has(msg); }

  /**
   * The coalesce parameters the driver supports, by ethtool key (adaptive-rx, rx-usecs …): the
   * kernel reports a parameter only when the driver lists it as supported or its value is not 0.
   */
  coalesceSupported(): Set<string> {
    return new Set(bitsOfRows(COALESCE.rows, this.get('COALESCE_GET')));
  }

  /** The coalesce settings with, for each, whether the driver reports it. */
  coalesce(): { values: Partial<Coalesce>; supported: Set<string> } {
    const a = this.get('COALESCE_GET');
    const values: Partial<Coalesce> = {};
    for (const r of COALESCE.rows) if (r.field && typeof a[r.nl] === 'number') (values as Record<string, number>)[r.field] = a[r.nl] as number;
    return { values, supported: new Set(bitsOfRows(COALESCE.rows, a)) };
  }

  /**
   * Which of the ring, channel, coalesce and pause settings the driver can change: a SET request
   * that names no setting changes nothing (the kernel compares, finds nothing to modify and sends
   * no notification), but is refused with EOPNOTSUPP first when the driver has no set operation
   * for the group (vmxnet3 reports channels and cannot change them). A group answered otherwise
   * (EPERM without CAP_NET_ADMIN, a kernel without the message) is left out: not known.
   */
  settable(): Partial<Record<SettableGroup, boolean>> {
    const out: Partial<Record<SettableGroup, boolean>> = {};
    for (const [group, msg] of Object.entries(SET_MESSAGE) as [SettableGroup, UserMessage][]) {
      if (!this.nl.has(msg)) continue;
      const r = this.nl.set(msg, this.name, {});
      if (r.ok) out[group] = true;
      else if (r.errno === 95 /* EOPNOTSUPP */) out[group] = false;
    }
    return out;
  }

  /** Extended ring parameters (rx-buf-len, cqe-size, tx-push, tcp-data-split). */
  ringExtended(): RingExtended {
    const a = this.get('RINGS_GET');
    const out: RingExtended = {};
    if (typeof a.rx_buf_len === 'number') out.rx_buf_len = a.rx_buf_len;
    if (typeof a.cqe_size === 'number') out.cqe_size = a.cqe_size;
    if (typeof a.tx_push === 'number') out.tx_push = a.tx_push !== 0;
    if (a.tcp_data_split === 1) out.tcp_data_split = 'off';
    if (a.tcp_data_split === 2) out.tcp_data_split = 'on';
    return out;
  }

  /** Which ring keys (ethtool -G names) the kernel reports for this device. */
  ringKeys(): Set<string> {
    return new Set(bitsOfRows(RING.rows, this.get('RINGS_GET')));
  }

  linkState(): LinkState {
    const a = this.get('LINKSTATE_GET');
    const n = (v: unknown): number | null => (typeof v === 'number' ? v : null);
    return {
      link: typeof a.link === 'number' ? a.link !== 0 : null, sqi: n(a.sqi), sqi_max: n(a.sqi_max),
      ext_state: n(a.ext_state), ext_substate: n(a.ext_substate),
    };
  }

  /**
   * The standard statistics of `groups` (all four by default): per group the counters the driver
   * reports, by the kernel's names (string sets ETH_SS_STATS_ETH_PHY …). A group the driver lacks is absent.
   */
  standardStats(groups: readonly StatsGroupName[] = STATS_GROUPS): Partial<Record<StatsGroupName, StatsGroup>> {
    const sets = this.nl.stringSets(undefined, [ETH_SS_STD.STATS_STD, ...STATS_GROUPS.map(g => ETH_SS_STD[g])]);
    const std = sets.get(ETH_SS_STD.STATS_STD) ?? [];
    const { Bitset } = require('../ethtool/netlink/bitset') as typeof import('../ethtool/netlink/bitset');
    const want = Bitset.list(std.length, groups.map(g => std.indexOf(g)).filter(i => i >= 0));
    const a = this.get('STATS_GET', { groups: want });
    const out: Partial<Record<StatsGroupName, StatsGroup>> = {};
    for (const g of (a.grp ?? []) as Attrs[]) {
      const name = std[g.id as number] as StatsGroupName | undefined;
      if (!name) continue;
      const names = sets.get(g.ss_id as number) ?? [];
      const stats: StatsGroup = {};
      for (const [id, v] of Object.entries((g.stat ?? {}) as Record<string, bigint>)) stats[names[Number(id)] ?? `#${id}`] = v;
      out[name] = stats;
    }
    return out;
  }

  /** Change notifications for this device (another program's set, a link change…). */
  async *events(): AsyncGenerator<Notification> {
    const mon = this.nl.monitor({ dev: this.name });
    try {
      for await (const n of mon) yield n;
    } finally {
      mon.close();
    }
  }
}

/** The string sets of the standard statistics (enum ethtool_stringset, 5.13+). */
const ETH_SS_STD: { STATS_STD: number } & Record<StatsGroupName, number> = {
  STATS_STD: ETH_SS.STATS_STD, 'eth-phy': ETH_SS.STATS_ETH_PHY, 'eth-mac': ETH_SS.STATS_ETH_MAC,
  'eth-ctrl': ETH_SS.STATS_ETH_CTRL, rmon: ETH_SS.STATS_RMON,
};

/** Link notifications (RTNLGRP_LINK), or null when no route netlink socket can be had. */
export function openLinkMonitor(): LinkMonitor | null {
  try {
    const { LinkMonitor: M } = require('../ethtool/netlink/rtnl') as typeof import('../ethtool/netlink/rtnl');
    return M.open();
  } catch {
    return null;
  }
}

/** Each link's carrier-down count (IFLA_CARRIER_DOWN_COUNT) by name, from one RTM_GETLINK dump; empty when it cannot be had. */
export function carrierDownCounts(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    const { RouteNetlink } = require('../ethtool/netlink/rtnl') as typeof import('../ethtool/netlink/rtnl');
    const rt = RouteNetlink.open();
    try {
      const r = rt.getLink(null);
      for (const l of r.replies) {
        const name = l.attrs.ifname as string | undefined, n = l.attrs.carrier_down_count as number | undefined;
        if (name !== undefined && n !== undefined) out.set(name, n);
      }
    } finally {
      rt.close();
    }
  } catch { /* no route netlink: no counts */ }
  return out;
}
