/**
 * --show-fec / --set-fec over netlink (ethtool 6.1's netlink/fec.c): FEC_GET (with -I, its
 * statistics) named with the LINK_MODES string set, in ethtool's words (None is "Off", BASER is
 * "BaseR"); FEC_SET with the encodings as bit names for the kernel to look up.
 *
 * fecReply() prints one FEC_GET_REPLY or FEC_NTF (the monitor's too).
 */
import type { Reply } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import { Bitset } from '../../ethtool/netlink/bitset';
import { ETH_SS } from '../../ethtool/netlink/constants';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, setRequest, unexpectedParam } from './cmd';
import { Param, parse } from './parser';
import { statsFlag } from './include-stats';
import { globalSet } from './stats';

/** ETHTOOL_LINK_MODE_FEC_*_BIT */
const FEC_NONE_BIT = 49;
const FEC_BASER_BIT = 51;

/** fec_mode_walk's renames. */
function fecName(idx: number, name: string): string {
  if (idx === FEC_NONE_BIT) return 'Off';
  if (idx === FEC_BASER_BIT) return 'BaseR';
  return name;
}

const FEC_STATS: readonly (readonly [string, string])[] = [
  ['corrected', 'corrected_blocks'],
  ['uncorr', 'uncorrectable_blocks'],
  ['corr_bits', 'corrected_bits'],
];

/** fec_show_stats */
function fecStats(c: NlCtx, st: Attrs): void {
  const p = c.p;
  p.openObject('statistics');
  let header = false;
  for (const [attr, name] of FEC_STATS) {
    const vals = st[attr] as bigint[] | undefined;
    if (!vals || vals.length === 0) continue;
    if (!header) { p.text('Statistics:\n'); header = true; }
    p.text(`  ${name}: ${vals[0]}\n`);
    p.openObject(name);
    p.jsonField('total', vals[0]);
    const lanes = vals.slice(1);
    if (lanes.length) p.openArray('lanes', '');
    lanes.forEach((v, l) => {
      p.text(`    Lane ${l}: ${v}\n`);
      p.jsonField(null, v);
    });
    if (lanes.length) p.closeArray('');
    p.closeObject();
  }
  p.closeObject();
}

/** fec_reply_cb: one device's FEC settings. */
export function fecReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c) || c.st.isMonitor;
  const dev = replyDev(r);
  if (!devOk(c, dev)) return silent;
  const names = globalSet(c, ETH_SS.LINK_MODES);
  const a = r.attrs;
  const active = typeof a.active === 'number' ? a.active >>> 0 : 0;
  const p = c.p;
  if (silent) p.nl();
  p.openObject(null);
  p.field('ifname', `FEC parameters for ${dev}:\n`, dev);

  p.openArray('config', 'Supported/Configured FEC encodings:');
  const auto = typeof a.auto === 'number' && a.auto !== 0;
  if (auto) p.field(null, ' Auto', 'Auto');
  let empty = !auto;
  const modes = a.modes;
  if (!(modes instanceof Bitset)) {
    // walk_bitset on a missing or unreadable bitset: the reply is unusable.
    p.closeArray('');
    p.closeObject();
    return silent;
  }
  for (const i of modes.maskIndices()) {
    if (!modes.test(i)) continue;
    empty = false;
    const name = fecName(i, modes.nameOf(i, names) ?? '(null)');
    p.field(null, ` ${name}`, name);
  }
  if (empty) p.field(null, ' None', 'None');
  p.closeArray('\n');

  p.openArray('active', 'Active FEC encoding:');
  if (active) {
    const name = active < names.length ? names[active] : undefined;
    if (name !== undefined) {
      const n = fecName(active, name);
      p.field(null, ` ${n}`, n);
    } else {
      p.field(null, ` BIT${active}`, active);
    }
  } else {
    p.field(null, ' None', 'None');
  }
  p.closeArray('\n');

  if (a.stats && typeof a.stats === 'object') fecStats(c, a.stats as Attrs);
  p.closeObject();
  return true;
}

/** --show-fec DEV: nl_gfec. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'FEC_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  const flags = statsFlag(c, 'FEC_GET');
  c.out.alwaysDocument();
  return getRequest(c, 'FEC_GET', r => fecReply(c, r), { flags });
}

/** --set-fec's encoding list: bit names (a list), and FEC_AUTO after it. */
const PARAMS: readonly Param[] = [{
  arg: 'encoding', attr: 'modes', minArgc: 1,
  handler: (s, into, _attr, dest) => {
    const bits: { name: string }[] = [];
    const shown: string[] = [];
    let auto = false;
    while (s.left > 0) {
      const w = s.take();
      if (w === '--') break;
      if (w.toLowerCase() === 'auto') { auto = true; shown.push('Auto'); continue; }
      const name = w.toLowerCase() === 'off' ? 'None' : upper(w);
      bits.push({ name });
      shown.push(name === 'None' ? 'Off' : name === 'BASER' ? 'BaseR' : name);
    }
    into.modes = { verbose: bits, nomask: true };
    into.auto = auto ? 1 : 0;
    dest.encoding = shown;
    return true;
  },
}];

/** toupper() byte by byte (ASCII letters only, as in the C locale). */
function upper(s: string): string {
  return s.replace(/[a-z]/g, ch => ch.toUpperCase());
}

/** --set-fec DEV encoding …: nl_sfec. */
export function set(c: NlCtx): number {
  if (cmdCheck(c, 'FEC_SET', false)) return NL_FALLBACK;
  if (c.args.length === 0) {
    c.out.err('ethtool (--set-fec): parameters missing\n');
    c.out.fail('parameters missing');
    return 1;
  }
  const parsed = parse(c, '--set-fec', PARAMS);
  if (!parsed) return 1;
  const code = setRequest(c, 'FEC_SET', parsed.attrs, 83);
  if (code === 0) c.out.object({ ifname: c.devname, encoding: (parsed.dest.encoding as string[] | undefined) ?? [] });
  return code;
}
