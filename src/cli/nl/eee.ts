/**
 * --show-eee / --set-eee over netlink (ethtool 6.1's netlink/eee.c): EEE_GET, its link mode
 * lists printed as the settings page prints them; EEE_SET with exactly the parameters given
 * (advertise as a bitset, hex numbers by default).
 *
 * eeeReply() prints one EEE_GET_REPLY or EEE_NTF (the monitor's too).
 */
import type { Reply } from '../../ethtool/netlink/client';
import { Bitset } from '../../ethtool/netlink/bitset';
import type { JsonValue } from '../json';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, setRequest, unexpectedParam } from './cmd';
import { Param, directU32, parse, u8bool } from './parser';
import { bitsetNames } from './bitset-args';
import { SettingsPrinter } from './settings';
import { globalSet } from './stats';

export function eeeReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c) || c.st.isMonitor;
  const dev = replyDev(r);
  if (!devOk(c, dev)) return silent;
  const a = r.attrs;
  const ours = a.modes_ours;
  if (!(ours instanceof Bitset) || typeof a.active !== 'number' || typeof a.enabled !== 'number' ||
    typeof a.tx_lpi_enabled !== 'number' || typeof a.tx_lpi_timer !== 'number') {
    c.out.err('Malformed response from kernel\n');
    return silent;
  }
  const p = c.p;
  p.text((silent ? '\n' : '') + `EEE settings for ${dev}:\n\tEEE status: `);
  const o: Record<string, JsonValue> = { ifname: dev };
  if (ours.maskIndices().length === 0) {
    p.text('not supported\n');
    if (c.json) c.out.object({ ...o, supported: false });
    return true;
  }
  p.text(a.enabled === 0 ? 'disabled\n' : `enabled - ${a.active !== 0 ? 'active' : 'inactive'}\n`);
  p.text('\tTx LPI: ' + (a.tx_lpi_enabled !== 0 ? `${a.tx_lpi_timer >>> 0} (us)\n` : 'disabled\n'));
  const pr = new SettingsPrinter({ p, st: c.st, strings: id => globalSet(c, id) }, { monitor: silent });
  const sup = pr.linkModes(ours, true, 'Supported EEE link modes:  ');
  if (sup === null) return silent;
  const adv = pr.linkModes(ours, false, 'Advertised EEE link modes:  ');
  if (adv === null) return silent;
  const peer = a.modes_peer instanceof Bitset ? a.modes_peer : null;
  // dump_link_modes on an absent attribute: ethtool's walk fails there.
  if (peer === null) return silent;
  const lp = pr.linkModes(peer, false, 'Link partner advertised EEE link modes:  ');
  if (lp === null) return silent;
  if (c.json) {
    c.out.object({
      ...o, supported: true, enabled: a.enabled !== 0, active: a.active !== 0, 'tx-lpi': a.tx_lpi_enabled !== 0,
      'tx-timer': a.tx_lpi_timer >>> 0, 'supported-link-modes': sup, 'advertised-link-modes': adv, 'link-partner-advertised-link-modes': lp,
    });
  }
  return true;
}

/** --show-eee DEV: nl_geee. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'EEE_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  return getRequest(c, 'EEE_GET', r => eeeReply(c, r));
}

const PARAMS: readonly Param[] = [
  { arg: 'advertise', attr: 'modes_ours', handler: bitsetNames({ noMask: false, forceHex: true }), minArgc: 1 },
  { arg: 'tx-lpi', attr: 'tx_lpi_enabled', handler: u8bool, minArgc: 1 },
  { arg: 'tx-timer', attr: 'tx_lpi_timer', handler: directU32, minArgc: 1 },
  { arg: 'eee', attr: 'enabled', handler: u8bool, minArgc: 1 },
];

/** --set-eee DEV …: nl_seee. */
export function set(c: NlCtx): number {
  if (cmdCheck(c, 'EEE_SET', false)) return NL_FALLBACK;
  if (c.args.length === 0) {
    c.out.err('ethtool (--set-eee): parameters missing\n');
    c.out.fail('parameters missing');
    return 1;
  }
  const parsed = parse(c, '--set-eee', PARAMS);
  if (!parsed) return 1;
  const code = setRequest(c, 'EEE_SET', parsed.attrs, 76);
  if (code === 0 && c.json) c.out.object({ ifname: c.devname, requested: Object.fromEntries(c.args.flatMap((k, i) => i % 2 === 0 ? [[k, c.args[i + 1]]] : [])) });
  return code;
}
