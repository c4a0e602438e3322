/**
 * The settings page (`ethkit DEV`) and -s/--change over netlink, as ethtool 6.1's
 * netlink/settings.c does them.
 *
 * The page is five GETs — LINKMODES, LINKINFO, WOL, DEBUG, LINKSTATE, in that order, each sent
 * whatever the one before answered — with EOPNOTSUPP silenced and every other error printed.
 * The banner `Settings for DEV:` (the kernel's name for the device) comes before the first line
 * printed; when no reply printed anything the answer is `No data available`, exit 75. With "*"
 * each GET is a dump and every reply message gets its own banner.
 *
 * The printers are per message and shared with --monitor, which prints LINKMODES_NTF,
 * LINKINFO_NTF, WOL_NTF and DEBUG_NTF the same way (a banner for every notification;
 * notifications carry compact bitsets, named from the string sets the monitor loaded).
 *
 * -s parses into up to four messages (LINKINFO_SET, LINKMODES_SET, WOL_SET, DEBUG_SET, sent
 * in that order, each only when it has attributes); the first that fails ends the command with
 * exit 75. `autoneg on` alone (no advertise/speed/duplex/lanes) first reads the supported modes
 * and advertises every speed mode among them, as ethtool does for the ioctl's sake.
 */
import type { Reply, Result } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import { Bitset } from '../../ethtool/netlink/bitset';
import type { UserMessage } from '../../ethtool/netlink/catalog';
import { ETH_SS } from '../../ethtool/netlink/constants';
import { BIT, HALF_DUPLEX_BITS, LinkModeClass, linkModeClass } from '../../ethtool/linkmodes';
import { PORT } from '../../ethtool/constants';
import type { JsonValue } from '../json';
import type { Printer } from './print';
import { NlCtx, NlState, NL_FALLBACK, cmdCheck, isDump, replies, replyDev, reportAck } from './cmd';
import { Param, bitset, byteStr, charBitset, directU32, directU8, lookup, parse, refused } from './parser';
import { PORT_NAMES, mdixText, wolText } from '../cmd/settings';

// ---- printing ------------------------------------------------------------------------------

/** Where the printers write, and how a notification's compact bitsets get their names. */
export interface SettingsOutput {
  readonly p: Printer;
  /** isMonitor (a banner per message, malformed messages skipped) and filterDev are read. */
  readonly st: NlState;
  /** The global string set `id` (ETH_SS_LINK_MODES, ETH_SS_MSG_CLASSES) for compact bitsets. */
  readonly strings?: (id: number) => readonly string[] | undefined;
}

type Obj = Record<string, JsonValue>;

const DUPLEX_NAMES: readonly string[] = ['Half', 'Full'];
const MS_CFG_NAMES: readonly (string | undefined)[] = [undefined, 'unknown', 'preferred master', 'preferred slave', 'forced master', 'forced slave'];
const MS_STATE_NAMES: readonly (string | undefined)[] = [undefined, 'unknown', 'master', 'slave', 'resolution error'];
const XCVR_NAMES: readonly string[] = ['internal', 'external'];

const EXT_STATES: readonly string[] = [
  'Autoneg', 'Link training failure', 'Logical mismatch', 'Bad signal integrity', 'No cable', 'Cable issue',
  'EEPROM issue', 'Calibration failure', 'Power budget exceeded', 'Overheat', 'Module',
];
/** Substate names per ext state (index: substate value; 0 has none). */
const EXT_SUBSTATES: Readonly<Record<number, readonly (string | undefined)[]>> = {
  0: [undefined, 'No partner detected', 'Ack not received', 'Next page exchange failed',
    'No partner detected during force mode', 'FEC mismatch during override', 'No HCD'],
  1: [undefined, 'KR frame lock not acquired', 'KR link inhibit timeout',
    'KR Link partner did not set receiver ready', 'Remote side is not ready yet'],
  2: [undefined, 'PCS did not acquire block lock', 'PCS did not acquire AM lock', 'PCS did not get align_status',
    'FC FEC is not locked', 'RS FEC is not locked'],
  3: [undefined, 'Large number of physical errors', 'Unsupported rate', 'Serdes reference clock lost', 'Serdes ALOS'],
  5: [undefined, 'Unsupported cable', 'Cable test failure'],
  10: [undefined, 'CMIS module is not in ModuleReady state'],
};

const WAKE_MAGICSECURE = 1 << 6;
const SOPASS_MAX = 6;

/** print_enum: the table's name, or undefined for "Unknown! (%d)". */
function enumName(table: readonly (string | undefined)[] | Readonly<Record<number, string>>, v: number): string | undefined {
  return (table as Record<number, string | undefined>)[v];
}

/** A reply the printers could not read (ethtool's "malformed netlink message"). */
class Malformed extends Error {}

/**
 * ethtool's settings callbacks over one run: the banner state (its no_banner), the device the
 * current message is about, and with --json one object per device (the page's five messages
 * about a device merge into it).
 */
export class SettingsPrinter {
  /** The banner of the current device was printed (something was). */
  printed = false;
  /** The device of the message being printed (from the reply's header). */
  devname = '';
  private readonly objects = new Map<string, Obj>();
  private obj: Obj | null = null;

  /**
   * `dump`: the replies of a dump ("*"). `monitor`: notifications (default: the state's
   * isMonitor). Either way every message gets its banner and one the printers cannot read is
   * skipped. `ifname`: the name JSON objects carry for a single device (the one given; dumps
   * use the kernel's).
   */
  constructor(readonly o: SettingsOutput, readonly opts: { dump?: boolean; monitor?: boolean; ifname?: string } = {}) {}

  private get p(): Printer { return this.o.p; }
  private get silent(): boolean { return (this.opts.dump ?? false) || (this.opts.monitor ?? this.o.st.isMonitor); }

  /** Start a message: a fresh banner in a dump or the monitor; false when --monitor DEV filters it out. */
  private begin(r: Reply): boolean {
    if (this.silent) this.printed = false;
    this.devname = replyDev(r);
    const f = this.o.st.filterDev;
    return f === null || this.devname === f;
  }

  /** print_banner: once per device (per message in a dump or the monitor). */
  private banner(): void {
    if (this.p.json) {
      const key = this.opts.dump || !this.opts.ifname ? this.devname : this.opts.ifname;
      let o = this.objects.get(key);
      if (!o) {
        o = { ifname: key };
        this.objects.set(key, o);
      }
      this.obj = o;
    }
    if (this.printed) return;
    this.p.text(`Settings for ${this.devname}:\n`);
    this.printed = true;
  }

  /** `text` on stdout, or `key: value` in the device's JSON object. */
  private put(key: string, text: string, value: JsonValue): void {
    this.p.text(text);
    if (this.p.json && this.obj) this.obj[key] = value;
  }

  /** A diagnostic on stderr, after what stdout holds (ethtool flushes first). */
  private diag(s: string): void {
    this.p.out.flushStdout();
    this.p.out.err(s);
  }

  /**
   * dump_link_modes for another page (the EEE one): a line of real link modes, no banner; the
   * names printed (in JSON mode), or null for a malformed bitset (after ethtool's message).
   */
  linkModes(b: Bitset, mask: boolean, before: string): string[] | null {
    this.printed = true;
    const o: Obj = { ifname: '' };
    this.obj = o;
    try {
      this.modes(b, mask, 'real', before, null, '\n', 'Not reported', 'modes');
    } catch (e) {
      if (e instanceof Malformed) return null;
      throw e;
    } finally {
      this.obj = null;
    }
    return (o.modes as string[] | undefined) ?? [];
  }

  /** The printer for a reply or notification, by its message name; true for others. */
  print(r: Reply): boolean {
    switch (r.message) {
      case 'LINKMODES_GET_REPLY': case 'LINKMODES_NTF': return this.linkmodes(r);
      case 'LINKINFO_GET_REPLY': case 'LINKINFO_NTF': return this.linkinfo(r);
      case 'WOL_GET_REPLY': case 'WOL_NTF': return this.wol(r);
      case 'DEBUG_GET_REPLY': case 'DEBUG_NTF': return this.debug(r);
      case 'LINKSTATE_GET_REPLY': return this.linkstate(r);
      default: return true;
    }
  }

  // -- LINKMODES ----------------------------------------------------------------------------

  /**
   * linkmodes_reply_cb: our modes, the partner's, speed, lanes, duplex, autoneg, master-slave.
   * False (after "No data available", exit 75) for a reply it cannot read, outside a dump or the
   * monitor.
   */
  linkmodes(r: Reply): boolean {
    if (!this.begin(r)) return true;
    const a = r.attrs;
    try {
      if (a.ours instanceof Bitset) this.ourModes(a.ours);
      if (a.peer instanceof Bitset) this.peerModes(a.peer);
    } catch (e) {
      if (!(e instanceof Malformed)) throw e;
      if (this.silent) return true;
      this.p.text('No data available\n');
      this.p.out.fail('No data available');
      this.o.st.exitCode = 75;
      return false;
    }
    if (typeof a.speed === 'number') {
      this.banner();
      const v = a.speed >>> 0;
      const unknown = v === 0 || v === 0xffff || v === 0xffffffff;
      this.put('speed', unknown ? '\tSpeed: Unknown!\n' : `\tSpeed: ${v}Mb/s\n`, unknown ? null : v);
    }
    if (typeof a.lanes === 'number') {
      this.banner();
      this.put('lanes', `\tLanes: ${a.lanes >>> 0}\n`, a.lanes >>> 0);
    }
    if (typeof a.duplex === 'number') {
      this.banner();
      this.enumLine('duplex', 'Duplex', DUPLEX_NAMES, a.duplex);
    }
    if (typeof a.autoneg === 'number') {
      this.banner();
      this.put('auto-negotiation', `\tAuto-negotiation: ${a.autoneg === 0 ? 'off' : 'on'}\n`, a.autoneg !== 0);
    }
    if (typeof a.master_slave_cfg === 'number') {
      this.banner();
      this.enumLine('master-slave-cfg', 'master-slave cfg', MS_CFG_NAMES, a.master_slave_cfg);
    }
    if (typeof a.master_slave_state === 'number') {
      this.banner();
      this.enumLine('master-slave-status', 'master-slave status', MS_STATE_NAMES, a.master_slave_state);
    }
    return true;
  }

  private enumLine(key: string, label: string, table: readonly (string | undefined)[] | Readonly<Record<number, string>>, v: number): void {
    const name = enumName(table, v);
    this.put(key, name === undefined ? `\t${label}: Unknown! (${v})\n` : `\t${label}: ${name}\n`, name ?? 'Unknown');
  }

  private ourModes(b: Bitset): void {
    this.banner();
    this.modes(b, true, 'port', 'Supported ports: [ ', ' ', ' ]\n', null, 'supported-ports');
    this.modes(b, true, 'real', 'Supported link modes:   ', null, '\n', 'Not reported', 'supported-link-modes');
    this.pause(b, true, 'Supported pause frame use: ', 'supported-pause-frame-use');
    this.put('supports-auto-negotiation', `\tSupports auto-negotiation: ${this.bit(b, true, BIT.Autoneg) ? 'Yes' : 'No'}\n`, this.bit(b, true, BIT.Autoneg));
    this.modes(b, true, 'fec', 'Supported FEC modes: ', ' ', '\n', 'Not reported', 'supported-fec-modes');
    this.modes(b, false, 'real', 'Advertised link modes:  ', null, '\n', 'Not reported', 'advertised-link-modes');
    this.pause(b, false, 'Advertised pause frame use: ', 'advertised-pause-frame-use');
    this.put('advertised-auto-negotiation', `\tAdvertised auto-negotiation: ${this.bit(b, false, BIT.Autoneg) ? 'Yes' : 'No'}\n`, this.bit(b, false, BIT.Autoneg));
    this.modes(b, false, 'fec', 'Advertised FEC modes: ', ' ', '\n', 'Not reported', 'advertised-fec-modes');
  }

  private peerModes(b: Bitset): void {
    this.banner();
    const k = 'link-partner-advertised';
    this.modes(b, false, 'real', 'Link partner advertised link modes:  ', null, '\n', 'Not reported', `${k}-link-modes`);
    this.pause(b, false, 'Link partner advertised pause frame use: ', `${k}-pause-frame-use`);
    this.put(`${k}-auto-negotiation`, `\tLink partner advertised auto-negotiation: ${this.bit(b, false, BIT.Autoneg) ? 'Yes' : 'No'}\n`, this.bit(b, false, BIT.Autoneg));
    this.modes(b, false, 'fec', 'Link partner advertised FEC modes: ', ' ', '\n', 'Not reported', `${k}-fec-modes`);
  }

  /** bitset_get_bit: in the mask (supported) or in the value; asking a list for its mask is an error. */
  private bit(b: Bitset, mask: boolean, i: number): boolean {
    if (mask && b.isList) {
      this.diag('malformed netlink message (bitset)\n');
      throw new Malformed();
    }
    return mask ? b.inMask(i) : b.test(i);
  }

  /** dump_pause */
  private pause(b: Bitset, mask: boolean, label: string, key: string): void {
    let p: boolean, a: boolean;
    try {
      p = this.bit(b, mask, BIT.Pause);
      a = this.bit(b, mask, BIT.Asym_Pause);
    } catch (e) {
      this.diag('malformed netlink message (pause modes)\n');
      throw e;
    }
    const text = p ? (a ? 'Symmetric Receive-only' : 'Symmetric') : a ? 'Transmit-only' : 'No';
    this.put(key, `\t${label}${text}\n`, text);
  }

  /**
   * dump_link_modes: the bits of class `cls` in the mask or the value, each after a separator —
   * `between` (a TAB before it), or a new line indented under the first mode; a speed mode
   * right after a half-duplex one shares its line. A verbose bitset (a reply) names its bits;
   * a compact one (a notification) is named from ETH_SS_LINK_MODES, and there ethtool also
   * puts the separator before the first mode.
   */
  private modes(b: Bitset, mask: boolean, cls: LinkModeClass, before: string, between: string | null, after: string, ifNone: string | null, key: string): void {
    if (mask && b.isList) {
      this.diag('malformed netlink message (link_modes)\n');
      throw new Malformed();
    }
    const verbose = b.names !== null;
    const strings = verbose ? undefined : this.o.strings?.(ETH_SS.LINK_MODES);
    // Verbose: every bit listed is checked for its name, then those outside the value skipped.
    const listed = verbose || mask ? b.maskIndices() : b.indices();
    let text = '\t' + before;
    const names: string[] = [];
    let first = true;
    let prev = -2;
    for (const i of listed) {
      let name: string;
      if (verbose) {
        const n = b.names!.get(i);
        if (n === undefined) {
          this.p.text(text + '\n');
          this.diag('malformed netlink message (link_modes)\n');
          throw new Malformed();
        }
        if (!mask && !b.test(i)) continue;
        name = n;
      } else {
        name = strings?.[i] ?? `BIT${i}`;
      }
      if (linkModeClass(i) !== cls) continue;
      if (first && verbose) first = false;
      else {
        first = false;
        if (cls === 'real' && i === prev + 1 && HALF_DUPLEX_BITS.has(prev)) text += ' ';
        else if (between !== null) text += '\t' + between;
        else text += '\n\t' + ' '.repeat(before.length);
      }
      text += name;
      names.push(name);
      prev = i;
    }
    if (first && ifNone !== null) text += ifNone;
    this.put(key, text + after, names);
  }

  // -- LINKINFO -----------------------------------------------------------------------------

  /** linkinfo_reply_cb: port, PHY address, transceiver, and MDI-X on twisted pair. */
  linkinfo(r: Reply): boolean {
    if (!this.begin(r)) return true;
    const a = r.attrs;
    let port = -1;
    if (typeof a.port === 'number') {
      this.banner();
      this.enumLine('port', 'Port', PORT_NAMES, a.port);
      port = a.port;
    }
    if (typeof a.phyaddr === 'number') {
      this.banner();
      this.put('phyad', `\tPHYAD: ${a.phyaddr}\n`, a.phyaddr);
    }
    if (typeof a.transceiver === 'number') {
      this.banner();
      this.enumLine('transceiver', 'Transceiver', XCVR_NAMES, a.transceiver);
    }
    if (typeof a.tp_mdix === 'number' && typeof a.tp_mdix_ctrl === 'number' && port === PORT.TP) {
      this.banner();
      const t = mdixText(a.tp_mdix_ctrl, a.tp_mdix);
      this.put('mdi-x', `\tMDI-X: ${t}\n`, t);
    }
    return true;
  }

  // -- WOL ------------------------------------------------------------------------------------

  /** wol_reply_cb: always prints (the two lines, and the SecureOn password when supported). */
  wol(r: Reply): boolean {
    if (!this.begin(r)) return true;
    let supported = 0, wolopts = 0;
    if (r.attrs.modes instanceof Bitset) {
      walkBitset(r.attrs.modes, undefined, (i, _name, v) => {
        if (i >= 32) return;
        supported = (supported | (1 << i)) >>> 0;
        if (v) wolopts = (wolopts | (1 << i)) >>> 0;
      });
    }
    let pass: Uint8Array = new Uint8Array(SOPASS_MAX);
    const sp = r.attrs.sopass;
    if (sp instanceof Uint8Array) {
      if (sp.byteLength !== SOPASS_MAX) this.diag(`invalid SecureOn password length ${sp.byteLength} (should be ${SOPASS_MAX})\n`);
      else pass = sp;
    }
    this.banner();
    this.put('supports-wake-on', `\tSupports Wake-on: ${wolText(supported)}\n`, wolText(supported));
    this.put('wake-on', `\tWake-on: ${wolText(wolopts)}\n`, wolText(wolopts));
    if (supported & WAKE_MAGICSECURE) {
      const hex = Array.from(pass, x => x.toString(16).padStart(2, '0')).join(':');
      this.put('secureon-password', `        SecureOn password: ${hex}\n`, hex);
    }
    return true;
  }

  // -- DEBUG ----------------------------------------------------------------------------------

  /** debug_reply_cb: the message level and the names of its bits (the kernel's). */
  debug(r: Reply): boolean {
    if (!this.begin(r)) return true;
    const m = r.attrs.msgmask;
    if (!(m instanceof Bitset)) return true;
    const strings = m.names === null ? this.o.strings?.(ETH_SS.MSG_CLASSES) : undefined;
    this.banner();
    let mask = 0;
    const names: string[] = [];
    walkBitset(m, strings, (i, name, v) => {
      if (v && i < 32) mask = (mask | (1 << i)) >>> 0;
      if (v) names.push(name ?? '(null)');
    });
    this.put('current-message-level', `        Current message level: 0x${mask.toString(16).padStart(8, '0')} (${mask})\n`, mask);
    this.put('message-level-names', ' '.repeat(30) + names.map(n => ' ' + n).join('') + '\n', names);
    return true;
  }

  // -- LINKSTATE ------------------------------------------------------------------------------

  /** linkstate_reply_cb: link detected (with the reason it is down, if the driver gives one), SQI. */
  linkstate(r: Reply): boolean {
    if (!this.begin(r)) return true;
    const a = r.attrs;
    if (typeof a.link === 'number') {
      this.banner();
      let text = `\tLink detected: ${a.link ? 'yes' : 'no'}`;
      this.put('link-detected', '', a.link !== 0);
      if (typeof a.ext_state === 'number') {
        const state = EXT_STATES[a.ext_state];
        text += ` (${state ?? a.ext_state}`;
        this.put('link-ext-state', '', state ?? a.ext_state);
        if (typeof a.ext_substate === 'number') {
          const sub = EXT_SUBSTATES[a.ext_state]?.[a.ext_substate];
          text += `, ${sub ?? a.ext_substate}`;
          this.put('link-ext-substate', '', sub ?? a.ext_substate);
        }
        text += ')';
      }
      this.p.text(text + '\n');
    }
    if (typeof a.sqi === 'number') {
      this.banner();
      const max = typeof a.sqi_max === 'number' ? `/${a.sqi_max >>> 0}` : '';
      this.put('sqi', `\tSQI: ${a.sqi >>> 0}${max}\n`, a.sqi >>> 0);
      if (typeof a.sqi_max === 'number') this.put('sqi-max', '', a.sqi_max >>> 0);
    }
    return true;
  }

  /** --json: the device objects, in the order their first line came. */
  finish(): void {
    if (!this.p.json) return;
    for (const o of this.objects.values()) this.p.out.object(o);
    this.objects.clear();
  }
}

/** One message printed on its own: `monitor` for a notification (a banner of its own, as ethtool's monitor prints them). */
export type SettingsMessagePrinter = (o: SettingsOutput, r: Reply, monitor?: boolean) => boolean;

export const printLinkModes: SettingsMessagePrinter = (o, r, monitor = true) => new SettingsPrinter(o, { monitor }).linkmodes(r);
export const printLinkInfo: SettingsMessagePrinter = (o, r, monitor = true) => new SettingsPrinter(o, { monitor }).linkinfo(r);
export const printWol: SettingsMessagePrinter = (o, r, monitor = true) => new SettingsPrinter(o, { monitor }).wol(r);
export const printDebug: SettingsMessagePrinter = (o, r, monitor = true) => new SettingsPrinter(o, { monitor }).debug(r);
export const printLinkState: SettingsMessagePrinter = (o, r, monitor = true) => new SettingsPrinter(o, { monitor }).linkstate(r);

/**
 * The kernel's settings notifications and their printers (--monitor all, and -s/--change):
 * LINKINFO_NTF, LINKMODES_NTF, WOL_NTF, DEBUG_NTF (6.1 has no LINKSTATE notification).
 */
export const SETTINGS_NOTIFICATIONS: Readonly<Record<string, SettingsMessagePrinter>> = {
  LINKINFO_NTF: printLinkInfo, LINKMODES_NTF: printLinkModes, WOL_NTF: printWol, DEBUG_NTF: printDebug,
};

/**
 * walk_bitset: every bit the bitset speaks of, with its name and value — a value/mask pair's
 * masked bits, a verbose list's entries; a compact list walks every bit up to its size.
 */
function walkBitset(b: Bitset, strings: readonly string[] | undefined, cb: (i: number, name: string | undefined, v: boolean) => void): void {
  const idx = b.names !== null || !b.isList ? b.maskIndices() : Array.from({ length: b.size }, (_, i) => i);
  for (const i of idx) cb(i, b.names ? b.names.get(i) : strings?.[i], b.test(i));
}

// ---- the settings page ----------------------------------------------------------------------

const GETS: readonly UserMessage[] = ['LINKMODES_GET', 'LINKINFO_GET', 'WOL_GET', 'DEBUG_GET', 'LINKSTATE_GET'];

/**
 * A GET (a dump for "*") with each reply to `cb`; ethtool's lines for a failed one. A dump's
 * error in its closing NLMSG_DONE is not one: libmnl stops there without a word.
 */
function request(c: NlCtx, msg: UserMessage, cb: (r: Reply) => boolean, hdr: { compact?: boolean } = {}): Result {
  const r = isDump(c) ? c.nl.dump(msg, {}, hdr) : c.nl.get(msg, c.devname, {}, hdr);
  for (const reply of replies(c, r)) if (!cb(reply)) return r;
  if (!r.done) reportAck(c, r);
  return r;
}

/** nl_gset: `ethkit DEV` on the netlink path. */
export function show(c: NlCtx): number {
  for (const m of GETS) if (cmdCheck(c, m, true)) return NL_FALLBACK;
  c.st.suppress = 1;
  const pr = new SettingsPrinter({ p: c.p, st: c.st }, { dump: isDump(c), ifname: c.devname });
  for (const m of GETS) request(c, m, r => pr.print(r));
  if (!pr.printed) {
    c.p.text('No data available\n');
    c.out.fail('No data available');
    return 75;
  }
  pr.finish();
  return 0;
}

// ---- -s / --change --------------------------------------------------------------------------

const SSET: readonly Param[] = [
  { arg: 'port', group: 'LINKINFO_SET', attr: 'port', handler: lookup({ tp: 0, aui: 1, mii: 2, fibre: 3, bnc: 4, da: 5 }), minArgc: 1 },
  { arg: 'mdix', group: 'LINKINFO_SET', attr: 'tp_mdix_ctrl', handler: lookup({ auto: 3, on: 2, off: 1 }), minArgc: 1 },
  { arg: 'phyad', group: 'LINKINFO_SET', attr: 'phyaddr', handler: directU8, minArgc: 1 },
  { arg: 'xcvr', group: 'LINKINFO_SET', handler: refused("deprecated parameter '%s' not supported by kernel"), minArgc: 1 },
  { arg: 'autoneg', group: 'LINKMODES_SET', attr: 'autoneg', handler: lookup({ off: 0, on: 1 }), minArgc: 1 },
  { arg: 'advertise', group: 'LINKMODES_SET', attr: 'ours', handler: bitset({ forceHex: true }), minArgc: 1 },
  { arg: 'speed', group: 'LINKMODES_SET', attr: 'speed', handler: directU32, minArgc: 1 },
  { arg: 'lanes', group: 'LINKMODES_SET', attr: 'lanes', handler: directU32, minArgc: 1 },
  { arg: 'duplex', group: 'LINKMODES_SET', attr: 'duplex', handler: lookup({ half: 0, full: 1 }), minArgc: 1 },
  {
    arg: 'master-slave', group: 'LINKMODES_SET', attr: 'master_slave_cfg', minArgc: 1,
    handler: lookup({ 'preferred-master': 2, 'preferred-slave': 3, 'forced-master': 4, 'forced-slave': 5 }),
  },
  { arg: 'wol', group: 'WOL_SET', attr: 'modes', handler: charBitset('pumbagsf', 'd'), minArgc: 1 },
  { arg: 'sopass', group: 'WOL_SET', attr: 'sopass', handler: byteStr(SOPASS_MAX, SOPASS_MAX), minArgc: 1 },
  { arg: 'msglvl', group: 'DEBUG_SET', attr: 'msgmask', handler: bitset(), minArgc: 1 },
];

/**
 * nl_sset_compat_linkmodes: `autoneg on` without advertise, speed, duplex or lanes advertises
 * every supported speed mode (read with a compact LINKMODES_GET), appended to the SET. 0, or
 * the exit status when the read failed.
 */
function compatLinkmodes(c: NlCtx, attrs: Attrs): number {
  if (attrs.autoneg === undefined || attrs.ours !== undefined || attrs.speed !== undefined ||
    attrs.duplex !== undefined || attrs.lanes !== undefined || attrs.autoneg === 0) return 0;
  if (cmdCheck(c, 'LINKMODES_GET', false) || cmdCheck(c, 'LINKMODES_SET', false)) return c.st.exitCode || 75;
  const r = c.nl.get('LINKMODES_GET', c.devname, {}, { compact: true });
  let ok = false;
  for (const reply of replies(c, r)) {
    const ours = reply.attrs.ours;
    if (!(ours instanceof Bitset) || !ours.mask || ours.names !== null) return c.st.exitCode || 75;
    const b = new Bitset(ours.size);
    for (const i of ours.maskIndices()) if (linkModeClass(i) === 'real') b.set(i, true);
    attrs.ours = b;
    ok = true;
  }
  reportAck(c, r);
  if (!r.ok) return c.st.exitCode || 75;
  return ok || r.replies.length === 0 ? 0 : c.st.exitCode || 75;
}

/** nl_sset: -s on the netlink path. */
export function change(c: NlCtx): number {
  const parsed = parse(c, '-s', SSET);
  if (!parsed) return 1;
  const msgs = [...parsed.groups].filter(([, a]) => Object.keys(a).length > 0) as [UserMessage, Attrs][];
  for (const [m] of msgs) if (cmdCheck(c, m, false)) return 1;
  for (const [m, attrs] of msgs) {
    if (m === 'LINKMODES_SET') {
      const e = compatLinkmodes(c, attrs);
      if (e) return e;
    }
    const r = c.nl.set(m, c.devname, attrs);
    reportAck(c, r);
    if (!r.ok) return c.st.exitCode || 75;
  }
  c.out.object({ ifname: c.devname, applied: Object.keys(parsed.dest), failed: [] });
  return 0;
}
