/**
 * -g/-G, -l/-L, -c/-C, -a/-A over netlink: RINGS, CHANNELS, COALESCE, PAUSE _GET/_SET. The
 * settings are the catalog's rows, read from their attributes: a setting the kernel does not
 * report prints "n/a". The sets send exactly the parameters given, in the order given (no read
 * first, no "unmodified" messages: an unchanged or empty set is a silent success).
 */
import type { Reply } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import type { Bitset } from '../../ethtool/netlink/bitset';
import type { UserMessage } from '../../ethtool/netlink/catalog';
import { ETHTOOL_FLAG } from '../../ethtool/netlink/constants';
import { BIT } from '../../ethtool/linkmodes';
import { RING, CHANNELS, COALESCE, PAUSE, ParamSpec, Shown, listing, display } from '../cmd/params';
import type { JsonValue } from '../json';
import { NlCtx, NL_FALLBACK, cmdCheck, devOk, getRequest, isDump, replyDev, reportAck, setRequest, unexpectedParam } from './cmd';
import { Param, directU32, parse, u8bool } from './parser';
import { statsFlag } from './include-stats';

interface Family {
  spec: ParamSpec;
  get: UserMessage;
  set: UserMessage;
  /** The set command as ethtool names it in its messages. */
  opt: string;
}

const FAMILIES = {
  ring: { spec: RING, get: 'RINGS_GET', set: 'RINGS_SET', opt: '-G' },
  channels: { spec: CHANNELS, get: 'CHANNELS_GET', set: 'CHANNELS_SET', opt: '-L' },
  coalesce: { spec: COALESCE, get: 'COALESCE_GET', set: 'COALESCE_SET', opt: '-C' },
  pause: { spec: PAUSE, get: 'PAUSE_GET', set: 'PAUSE_SET', opt: '-A' },
} as const satisfies Record<string, Family>;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function shown(f: Family, a: Attrs): Shown[] {
  return f.spec.group.rows.map(r => ({
    text: r.nlText ?? r.text, kind: r.kind, block: r.block, value: num(a[r.nl]),
    max: r.nlMax ? num(a[r.nlMax]) : undefined, hasMax: r.nlMax !== undefined,
  }));
}

/** ethkit's JSON for a reply (ethtool has none for -g, -l, -c): the ioctl version's names, null where not reported. */
function json(f: Family, dev: string, a: Attrs): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { ifname: dev };
  const val = (kind: 'u32' | 'bool', v: number | undefined): JsonValue => v === undefined ? null : kind === 'bool' ? v !== 0 : v >>> 0;
  for (const r of f.spec.group.rows) if (r.nlMax) o[`${r.json}-max`] = val(r.kind, num(a[r.nlMax]));
  for (const r of f.spec.group.rows) o[r.json] = val(r.kind, num(a[r.nl]));
  return o;
}

const TCP_DATA_SPLIT = ['n/a', 'off', 'on'];

/**
 * One RINGS/CHANNELS/COALESCE reply, as ethtool prints it (the show command, a dump, --monitor):
 * false where ethtool's callback fails.
 */
export function printParams(c: NlCtx, f: Family, r: Reply): boolean {
  const dev = replyDev(r);
  const silent = isDump(c) || c.st.isMonitor;
  if (!devOk(c, dev)) return silent;
  let text = silent ? '\n' : '';
  text += f.spec.header.replace('%s', dev) + '\n' + listing(f.spec, shown(f, r.attrs));
  const o = json(f, dev, r.attrs);
  if (f === FAMILIES.ring) {
    const split = num(r.attrs.tcp_data_split) ?? 0;
    text += `TCP data split:\t${TCP_DATA_SPLIT[split] ?? `unknown(${split})`}\n`;
    o['tcp-data-split'] = r.attrs.tcp_data_split === undefined ? null : TCP_DATA_SPLIT[split] ?? split;
  }
  c.p.text(text);
  if (c.json) c.out.object(o);
  return true;
}

function show(f: Family): (c: NlCtx) => number {
  return c => {
    if (cmdCheck(c, f.get, true)) return NL_FALLBACK;
    const extra = unexpectedParam(c);
    if (extra !== null) return extra;
    return getRequest(c, f.get, r => printParams(c, f, r));
  };
}

/** The set command's parameters: every key of the catalog, in its (ethtool's parse-table) order. */
function setParams(f: Family): Param[] {
  const spec = f.spec;
  const order = [...(spec.setOrder ?? [])];
  for (const r of spec.group.rows) if (!order.includes(r.key)) order.push(r.key);
  return order.map(key => {
    const r = spec.group.rows.find(x => x.key === key)!;
    return { arg: key, attr: r.nl, handler: r.kind === 'bool' ? u8bool : directU32, minArgc: 1 };
  });
}

function change(f: Family): (c: NlCtx) => number {
  const params = setParams(f);
  return c => {
    if (cmdCheck(c, f.set, false)) return NL_FALLBACK;
    const parsed = parse(c, f.opt, params);
    if (!parsed) return 1;
    const ret = setRequest(c, f.set, parsed.attrs, f.spec.nlSetFailed);
    if (ret === 0 && c.json) {
      const requested: Record<string, JsonValue> = {};
      for (const [key, v] of Object.entries(parsed.dest)) requested[key] = v as JsonValue;
      c.out.object({ ifname: c.devname, requested });
    }
    return ret;
  };
}

export const showRing = show(FAMILIES.ring);
export const setRing = change(FAMILIES.ring);
export const showChannels = show(FAMILIES.channels);
export const setChannels = change(FAMILIES.channels);
export const showCoalesce = show(FAMILIES.coalesce);
export const setCoalesce = change(FAMILIES.coalesce);
export const setPause = change(FAMILIES.pause);

/** Printers for --monitor, by notification. */
export const printRings = (c: NlCtx, r: Reply): boolean => printParams(c, FAMILIES.ring, r);
export const printChannels = (c: NlCtx, r: Reply): boolean => printParams(c, FAMILIES.channels, r);
export const printCoalesce = (c: NlCtx, r: Reply): boolean => printParams(c, FAMILIES.coalesce, r);

// ---- -a --------------------------------------------------------------------------------------

/** Pause and Asym_Pause as a compact link-mode bitset has them (bits outside its mask: not set). */
function pauseBits(b: Bitset | undefined): { pause: boolean; asym: boolean } {
  const has = (i: number): boolean => !!b && (b.isList ? b.test(i) : b.inMask(i) && b.test(i));
  return { pause: has(BIT.Pause), asym: has(BIT.Asym_Pause) };
}

/** ethtool's pause_reply_cb state: a dump stops being treated as one after the first nested request (as ethtool does). */
interface PauseRun { dump: boolean }

/** What was negotiated (IEEE 802.3 annex 28B), from a LINKMODES reply: ethtool's nested request. */
function negotiated(c: NlCtx, dev: string): { rx: boolean; tx: boolean } | null {
  const r = c.nl.get('LINKMODES_GET', dev, {}, { flags: ETHTOOL_FLAG.COMPACT_BITSETS });
  // Its errors are printed; they do not change the command's outcome.
  reportAck(c, r);
  if (!r.ok) return null;
  const a = r.replies[0]?.attrs;
  if (!a || !a.ours || !a.peer) return null;
  const ours = pauseBits(a.ours as Bitset), peer = pauseBits(a.peer as Bitset);
  let rx = false, tx = false;
  if (ours.pause && peer.pause) rx = tx = true;
  else if (ours.asym && peer.asym) {
    if (ours.pause) rx = true;
    else if (peer.pause) tx = true;
  }
  return { rx, tx };
}

export function printPause(c: NlCtx, r: Reply, run: PauseRun = { dump: isDump(c) }): boolean {
  const dev = replyDev(r);
  const silent = run.dump || c.st.isMonitor;
  if (!devOk(c, dev)) return silent;
  const a = r.attrs;
  const p = c.p;
  if (silent) p.nl();
  p.openObject(null);
  p.field('ifname', `Pause parameters for ${dev}:\n`, dev);
  // ethtool's JSON says true for every flag the kernel sent, whatever its value (it tests the pointer).
  for (const row of PAUSE.group.rows) {
    const v = num(a[row.nl]);
    if (p.json) { if (v !== undefined) p.jsonField(row.json, true); } else p.text(`${row.text}${display(row.kind, v)}\n`);
  }
  if (!c.st.isMonitor && num(a.autoneg)) {
    const n = negotiated(c, dev);
    // The nested request is made as for one device: from here on, ethtool no longer treats the dump as one.
    run.dump = false;
    if (n) {
      p.openObject('negotiated');
      p.field('rx', `RX negotiated: ${n.rx ? 'on' : 'off'}\n`, true);
      p.field('tx', `TX negotiated: ${n.tx ? 'on' : 'off'}\n`, true);
      p.closeObject();
    }
  }
  const stats = a.stats as Attrs | undefined;
  if (stats) {
    p.openObject('statistics');
    let header = false;
    for (const [attr, name] of [['tx_frames', 'tx_pause_frames'], ['rx_frames', 'rx_pause_frames']] as const) {
      const v = stats[attr];
      if (typeof v !== 'bigint') continue;
      if (!header) { p.text('Statistics:\n'); header = true; }
      p.field(name, `  ${name}: ${v}\n`, v);
    }
    p.closeObject();
  }
  if (!silent) p.nl();
  p.closeObject();
  return true;
}

export function showPause(c: NlCtx): number {
  if (cmdCheck(c, 'PAUSE_GET', true)) return NL_FALLBACK;
  const extra = unexpectedParam(c);
  if (extra !== null) return extra;
  const run: PauseRun = { dump: isDump(c) };
  // -I: the pause statistics, where the kernel's policy takes the flag.
  const flags = statsFlag(c, 'PAUSE_GET');
  // ethtool has JSON for -a: its document, there from here on whatever the outcome.
  c.out.alwaysDocument();
  return getRequest(c, 'PAUSE_GET', r => printPause(c, r, run), { flags });
}
