/**
 * -T/--show-time-stamping over netlink (ethtool 6.1's netlink/tsinfo.c): TSINFO_GET, each of its
 * three bitsets listed by the kernel's bit names (a compact one named from the global string
 * set), an absent or empty one as ethtool shows it.
 */
import type { Reply } from '../../ethtool/netlink/client';
import { Bitset } from '../../ethtool/netlink/bitset';
import { ETH_SS } from '../../ethtool/netlink/constants';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, unexpectedParam } from './cmd';
import { globalSet } from './stats';

/** tsinfo_dump_list: the label, then each set bit on its own line; the names for JSON. */
function list(c: NlCtx, v: unknown, label: string, ifEmpty: string, ss: number): { text: string; names: string[] } {
  if (!(v instanceof Bitset) || v.indices().length === 0) return { text: `${label}:${ifEmpty}\n`, names: [] };
  const strings = v.names === null ? globalSet(c, ss) : undefined;
  const names = v.indices().map(i => v.nameOf(i, strings) ?? `bit${i}`);
  return { text: `${label}:\n` + names.map(n => `\t${n}\n`).join(''), names };
}

export function tsinfoReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c);
  const dev = replyDev(r);
  if (!devOk(c, dev)) return silent;
  const a = r.attrs;
  const so = list(c, a.timestamping, 'Capabilities', '', ETH_SS.SOF_TIMESTAMPING);
  const tx = list(c, a.tx_types, 'Hardware Transmit Timestamp Modes', ' none', ETH_SS.TS_TX_TYPES);
  const rx = list(c, a.rx_filters, 'Hardware Receive Filter Modes', ' none', ETH_SS.TS_RX_FILTERS);
  const phc = typeof a.phc_index === 'number' ? a.phc_index | 0 : null;
  c.p.text((silent ? '\n' : '') + `Time stamping parameters for ${dev}:\n` + so.text +
    `PTP Hardware Clock: ${phc === null ? 'none' : phc}\n` + tx.text + rx.text);
  if (c.json) c.out.object({ ifname: dev, capabilities: so.names, 'phc-index': phc, 'tx-types': tx.names, 'rx-filters': rx.names });
  return true;
}

/** -T DEV: nl_tsinfo. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'TSINFO_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  return getRequest(c, 'TSINFO_GET', r => tsinfoReply(c, r));
}
