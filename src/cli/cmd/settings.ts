/**
 * The settings page (`ethkit DEV`) and -s/--change: link settings (GLINKSETTINGS, or the
 * legacy GSET), wake-on-LAN, message level and link state.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL, PORT, DUPLEX, XCVR, AUTONEG, ETH_TP_MDI, WAKE, LINK_MODE_MASK_MAX_KERNEL_NU32 } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import type { LinkRead } from '../../ethtool/ops';
import { ERRNO } from '../../ethtool/errno';
import { LINK_MODES, BIT, PORT_BITS, FEC_BITS, KNOWN_BITS, testBit } from '../../ethtool/linkmodes';
import { parseInt32, parseUnsigned, parseOnOff } from '../../common/numbers';
import type { JsonValue } from '../json';

const EOPNOTSUPP = ERRNO.EOPNOTSUPP;

// ---- the settings page ---------------------------------------------------------------------

function modeList(mask: number[], indent: number): { text: string; names: string[] } {
  let text = '';
  let did = false, pending = false;
  const names: string[] = [];
  for (const m of LINK_MODES) {
    if (did && !m.sameLine) pending = true;
    if (!testBit(mask, m.bit)) continue;
    if (pending) {
      text += '\n\t' + ' '.repeat(indent);
      pending = false;
    }
    text += m.name + ' ';
    names.push(m.name);
    did = true;
  }
  return { text: did ? text : 'Not reported', names };
}

function pauseUse(mask: number[]): string {
  const p = testBit(mask, BIT.Pause), a = testBit(mask, BIT.Asym_Pause);
  return p ? (a ? 'Symmetric Receive-only' : 'Symmetric') : a ? 'Transmit-only' : 'No';
}

/** dump_link_caps' first line alone (its link_mode_only form: the EEE page). */
export function linkModesLine(prefix: string, mask: number[]): { text: string; names: string[] } {
  const indent = Math.max(prefix.length + 14, 24);
  const modes = modeList(mask, indent);
  return { text: `\t${prefix} link modes:${' '.repeat(indent - prefix.length - 12)}${modes.text}\n`, names: modes.names };
}

/** One block of mode lists: Supported / Advertised / Link partner advertised. */
function linkCaps(prefix: string, anPrefix: string, mask: number[], json: Record<string, JsonValue>, key: string): string {
  const indent = Math.max(prefix.length + 14, 24);
  const modes = modeList(mask, indent);
  const fec = FEC_BITS.filter(([b]) => testBit(mask, b)).map(([, n]) => n);
  json[`${key}-link-modes`] = modes.names;
  json[`${key}-pause-frame-use`] = pauseUse(mask);
  json[`${anPrefix.toLowerCase().replace(/ /g, '-')}-auto-negotiation`] = testBit(mask, BIT.Autoneg);
  json[`${key}-fec-modes`] = fec;
  return `\t${prefix} link modes:${' '.repeat(indent - prefix.length - 12)}${modes.text}\n` +
    `\t${prefix} pause frame use: ${pauseUse(mask)}\n` +
    `\t${anPrefix} auto-negotiation: ${testBit(mask, BIT.Autoneg) ? 'Yes' : 'No'}\n` +
    `\t${prefix} FEC modes:${fec.length ? fec.map(n => ' ' + n).join('') : ' Not reported'}\n`;
}

export const PORT_NAMES: Readonly<Record<number, string>> = {
  [PORT.TP]: 'Twisted Pair', [PORT.AUI]: 'AUI', [PORT.MII]: 'MII', [PORT.FIBRE]: 'FIBRE', [PORT.BNC]: 'BNC',
  [PORT.DA]: 'Direct Attach Copper', [PORT.NONE]: 'None', [PORT.OTHER]: 'Other',
};

export function mdixText(ctrl: number, st: number): string {
  if (ctrl === ETH_TP_MDI.MDI) return 'off (forced)';
  if (ctrl === ETH_TP_MDI.X) return 'on (forced)';
  return (st === ETH_TP_MDI.MDI ? 'off' : st === ETH_TP_MDI.X ? 'on' : 'Unknown') + (ctrl === ETH_TP_MDI.AUTO ? ' (auto)' : '');
}

function linkBlock(l: LinkRead, json: Record<string, JsonValue>): string {
  const ports = PORT_BITS.filter(([b]) => testBit(l.supported, b)).map(([, n]) => n);
  json['supported-ports'] = ports;
  let t = `\tSupported ports: [ ${ports.map(p => p + ' ').join('')}]\n`;
  t += linkCaps('Supported', 'Supports', l.supported, json, 'supported');
  t += linkCaps('Advertised', 'Advertised', l.advertising, json, 'advertised');
  if (l.lp_advertising.some(w => w !== 0)) {
    t += linkCaps('Link partner advertised', 'Link partner advertised', l.lp_advertising, json, 'link-partner-advertised');
  }
  const unknownSpeed = l.speed === 0 || l.speed === 0xffff || l.speed === 0xffffffff;
  t += `\tSpeed: ${unknownSpeed ? 'Unknown!' : `${l.speed}Mb/s`}\n`;
  json.speed = unknownSpeed ? null : l.speed;
  const duplex = l.duplex === DUPLEX.HALF ? 'Half' : l.duplex === DUPLEX.FULL ? 'Full' : null;
  t += `\tDuplex: ${duplex ?? `Unknown! (${l.duplex})`}\n`;
  json.duplex = duplex ?? 'Unknown';
  const port = PORT_NAMES[l.port];
  t += `\tPort: ${port ?? `Unknown! (${l.port})`}\n`;
  json.port = port ?? 'Unknown';
  t += `\tPHYAD: ${l.phy_address}\n`;
  json.phyad = l.phy_address;
  const xcvr = l.transceiver === XCVR.INTERNAL ? 'internal' : l.transceiver === XCVR.EXTERNAL ? 'external' : 'Unknown!';
  t += `\tTransceiver: ${xcvr}\n`;
  json.transceiver = xcvr === 'Unknown!' ? 'Unknown' : xcvr;
  t += `\tAuto-negotiation: ${l.autoneg === AUTONEG.DISABLE ? 'off' : 'on'}\n`;
  json['auto-negotiation'] = l.autoneg !== AUTONEG.DISABLE;
  if (l.port === PORT.TP) {
    t += `\tMDI-X: ${mdixText(l.eth_tp_mdix_ctrl, l.eth_tp_mdix)}\n`;
    json['mdi-x'] = mdixText(l.eth_tp_mdix_ctrl, l.eth_tp_mdix);
  }
  return t;
}

/** Wake-on-LAN letters in ethtool's order; "d" (disabled) for none. */
const WOL_LETTERS: readonly [string, number][] = [
  ['p', WAKE.PHY], ['u', WAKE.UCAST], ['m', WAKE.MCAST], ['b', WAKE.BCAST], ['a', WAKE.ARP], ['g', WAKE.MAGIC],
  ['s', WAKE.MAGICSECURE], ['f', WAKE.FILTER],
];

export function wolText(v: number): string {
  if (v === 0) return 'd';
  return WOL_LETTERS.filter(([, b]) => v & b).map(([c]) => c).join('');
}

/** Message-level flag names (NETIF_MSG_*), in ethtool's order. */
export const MSGLVL_NAMES: readonly [string, number][] = [
  ['drv', 0x1], ['probe', 0x2], ['link', 0x4], ['timer', 0x8], ['ifdown', 0x10], ['ifup', 0x20],
  ['rx_err', 0x40], ['tx_err', 0x80], ['tx_queued', 0x100], ['intr', 0x200], ['tx_done', 0x400],
  ['rx_status', 0x800], ['pktdata', 0x1000], ['hw', 0x2000], ['wol', 0x4000],
];

function msglvlBlock(v: number, json: Record<string, JsonValue>): string {
  const names = MSGLVL_NAMES.filter(([, b]) => v & b).map(([n]) => n);
  const rest = (v & ~MSGLVL_NAMES.reduce((m, [, b]) => m | b, 0)) >>> 0;
  let list = names.join(' ');
  if (rest) list += (names.length ? ' ' : '') + '0x' + rest.toString(16);
  json['current-message-level'] = v >>> 0;
  json['message-level-names'] = names;
  return `\tCurrent message level: 0x${(v >>> 0).toString(16).padStart(8, '0')} (${v | 0})\n\t\t\t       ${list}\n`;
}

export function show(ctx: Ctx): number {
  const { out, dev } = ctx;
  const json: Record<string, JsonValue> = { ifname: ctx.devname };
  let text = `Settings for ${ctx.devname}:\n`;
  let allFailed = true;

  const link = ops.readLink(dev);
  if (link.ok) {
    text += linkBlock(link.v, json);
    allFailed = false;
  } else if (link.errno !== EOPNOTSUPP) {
    out.perror('Cannot get device settings', link.errno);
  }

  const wol = ops.getStruct<Record<string, number & number[]>>(dev, S.ethtool_wolinfo, ETHTOOL.GWOL);
  if (wol.ok) {
    text += `\tSupports Wake-on: ${wolText(wol.v.supported)}\n\tWake-on: ${wolText(wol.v.wolopts)}\n`;
    json['supports-wake-on'] = wolText(wol.v.supported);
    json['wake-on'] = wolText(wol.v.wolopts);
    if (wol.v.supported & WAKE.MAGICSECURE) {
      const pass = (wol.v.sopass as number[]).map(x => x.toString(16).padStart(2, '0')).join(':');
      text += `        SecureOn password: ${pass}\n`;
      json['secureon-password'] = pass;
    }
    allFailed = false;
  } else if (wol.errno !== EOPNOTSUPP) {
    out.perror('Cannot get wake-on-lan settings', wol.errno);
  }

  const msg = ops.value(dev, ETHTOOL.GMSGLVL);
  if (msg.r >= 0) {
    text += msglvlBlock(msg.data, json);
    allFailed = false;
  } else if (-msg.r !== EOPNOTSUPP) {
    out.perror('Cannot get message level', -msg.r);
  }

  const lk = ops.value(dev, ETHTOOL.GLINK);
  if (lk.r >= 0) {
    text += `\tLink detected: ${lk.data ? 'yes' : 'no'}\n`;
    json['link-detected'] = lk.data !== 0;
    allFailed = false;
  } else if (-lk.r !== EOPNOTSUPP) {
    out.perror('Cannot get link status', -lk.r);
  }

  if (allFailed) {
    out.fail('No data available');
    out.print(text + 'No data available\n');
    return 75;
  }
  out.print(text);
  out.object(json);
  return 0;
}

// ---- -s / --change ---------------------------------------------------------------------------

/** -s keys whose value is one word of a fixed set: key → value word → kernel value. */
const CHOICES: Record<string, Record<string, number>> = {
  duplex: { half: DUPLEX.HALF, full: DUPLEX.FULL },
  port: { tp: PORT.TP, aui: PORT.AUI, bnc: PORT.BNC, mii: PORT.MII, fibre: PORT.FIBRE },
  mdix: { auto: ETH_TP_MDI.AUTO, on: ETH_TP_MDI.X, off: ETH_TP_MDI.MDI },
  autoneg: { on: AUTONEG.ENABLE, off: AUTONEG.DISABLE },
  xcvr: { internal: XCVR.INTERNAL, external: XCVR.EXTERNAL },
};

/** The -s parse table: key → how its value is read. Order matters only for "not setting". */
type SKind = 'int10' | 'int0' | 'choice' | 'advertise' | 'wol' | 'sopass' | 'msglvl' | 'netlink';
const SSET_KEYS: Record<string, SKind> = {
  speed: 'int10', duplex: 'choice', port: 'choice', mdix: 'choice', autoneg: 'choice',
  advertise: 'advertise', phyad: 'int0', xcvr: 'choice', wol: 'wol', sopass: 'sopass', msglvl: 'msglvl',
  'master-slave': 'netlink',
};

/** Link keys and the words of ethtool's "not setting" lines, in its order. */
const NOT_SETTING: readonly [string, string][] = [
  ['speed', 'speed'], ['duplex', 'duplex'], ['port', 'port'], ['autoneg', 'autoneg'],
  ['phyad', 'phy_address'], ['xcvr', 'transceiver'], ['mdix', 'mdix'],
];
const LINK_KEYS = new Set(['speed', 'duplex', 'port', 'mdix', 'autoneg', 'advertise', 'phyad', 'xcvr']);

/** advertise: hex link-mode mask, optional 0x when longer than two characters. */
export function parseAdvertise(s: string): number[] | null {
  let h = s;
  if (h.length > 2 && (h.startsWith('0x') || h.startsWith('0X'))) h = h.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(h) || h.length > LINK_MODE_MASK_MAX_KERNEL_NU32 * 8) return null;
  const words: number[] = [];
  for (let end = h.length; end > 0; end -= 8) words.push(parseInt(h.slice(Math.max(0, end - 8), end), 16) >>> 0);
  return words;
}

export function parseWol(s: string): number | null {
  let v = 0;
  for (const c of s) {
    if (c === 'd') { v = 0; continue; }
    const e = WOL_LETTERS.find(([l]) => l === c);
    if (!e) return null;
    v |= e[1];
  }
  return v;
}

/** sscanf("%2x:%2x:%2x:%2x:%2x:%2x"): six fields needed, trailing text ignored. */
export function parseSopass(s: string): number[] | null {
  const out: number[] = [];
  let i = 0;
  for (let f = 0; f < 6; f++) {
    if (f > 0) {
      if (s[i] !== ':') return null;
      i++;
    }
    while (i < s.length && /[ \t\n\v\f\r]/.test(s[i])) i++;
    const m = /^[+-]?[0-9a-fA-F]{1,2}/.exec(s.slice(i, i + 2));
    if (!m || m[0] === '+' || m[0] === '-') return null;
    i += m[0].length;
    out.push(parseInt(m[0], 16) & 0xff);
  }
  return out;
}

interface SsetWanted {
  given: Set<string>;
  speed?: number; duplex?: number; port?: number; mdix?: number; autoneg?: number;
  advertise?: number[]; phyad?: number; xcvr?: number; wol?: number; sopass?: number[];
  msglvl?: { wanted: number; mask: number };
}

/** Parse -s arguments; a number (exit code) when ethtool refuses them. */
function parseSset(ctx: Ctx): SsetWanted | number {
  const w: SsetWanted = { given: new Set() };
  const a = ctx.args;
  for (let i = 0; i < a.length; i++) {
    const key = a[i];
    const kind = SSET_KEYS[key];
    if (!kind) return badArgs(ctx.out);
    if (kind === 'netlink') {
      ctx.out.error(`parameter '${key}' can be used only with netlink`, `ethtool: parameter '${key}' can be used only with netlink\n`);
      return 1;
    }
    if (++i >= a.length) return badArgs(ctx.out);
    const v = a[i];
    switch (kind) {
      case 'int10': case 'int0': {
        const n = parseInt32(v, kind === 'int10' ? 10 : 0);
        if (n === null) return badArgs(ctx.out);
        if (key === 'speed') w.speed = n; else w.phyad = n;
        break;
      }
      case 'choice': {
        const n = CHOICES[key][v];
        if (n === undefined) return badArgs(ctx.out);
        (w as unknown as Record<string, number>)[key] = n;
        break;
      }
      case 'advertise': {
        const m = parseAdvertise(v);
        if (!m) return badArgs(ctx.out);
        w.advertise = m;
        break;
      }
      case 'wol': {
        const n = parseWol(v);
        if (n === null) return badArgs(ctx.out);
        w.wol = n;
        break;
      }
      case 'sopass': {
        const p = parseSopass(v);
        if (!p) return badArgs(ctx.out);
        w.sopass = p;
        break;
      }
      case 'msglvl': {
        if (/^[0-9]/.test(v)) {
          const n = parseUnsigned(v, 0xffffffff);
          if (n === null) return badArgs(ctx.out);
          w.msglvl = { wanted: n, mask: 0xffffffff };
        } else {
          // NAME on|off ... takes every remaining argument.
          let wanted = 0, mask = 0;
          for (let j = i; j < a.length; j += 2) {
            const e = MSGLVL_NAMES.find(([n]) => n === a[j]);
            const on = parseOnOff(a[j + 1] ?? '');
            if (!e || j + 1 >= a.length || on === null) return badArgs(ctx.out);
            mask |= e[1];
            if (on) wanted |= e[1];
          }
          w.msglvl = { wanted, mask };
          i = a.length;
        }
        break;
      }
    }
    w.given.add(key);
  }
  // -1 is ethtool's "not given" for the numeric link keys: the key still makes -s read and
  // write the link settings, but changes nothing and is not reported.
  if (w.speed === -1) w.speed = undefined;
  if (w.phyad === -1) w.phyad = undefined;
  return w;
}

/** (speed, duplex) → the one link mode ethtool advertises for it. */
const SPEED_DUPLEX_MODE: Record<string, number> = {
  '10/0': 0, '10/1': 1, '100/0': 2, '100/1': 3, '1000/0': 4, '1000/1': 5, '2500/1': 15, '10000/1': 12,
};

function allModesMask(): number[] {
  const m = new Array<number>(4).fill(0);
  for (const r of LINK_MODES) m[r.bit >> 5] |= 1 << (r.bit & 31);
  return m.map(x => x >>> 0);
}

export function change(ctx: Ctx): number {
  const { out, dev } = ctx;
  const w = parseSset(ctx);
  if (typeof w === 'number') return w;
  const applied: string[] = [];
  const failed: string[] = [];

  if ([...w.given].some(k => LINK_KEYS.has(k))) {
    let errno = 0;
    const link = ops.readLink(dev);
    if (!link.ok) {
      out.perror('Cannot get current device settings', link.errno);
      errno = link.errno;
    } else {
      errno = setLink(ctx, link.v, w);
    }
    const linkGiven = [...w.given].filter(k => LINK_KEYS.has(k));
    if (errno) {
      for (const [key, word] of NOT_SETTING) {
        if ((w as unknown as Record<string, unknown>)[key] !== undefined) out.err(`  not setting ${word}\n`);
      }
      failed.push(...linkGiven);
    } else applied.push(...linkGiven);
  }

  if (w.given.has('wol') || w.given.has('sopass')) {
    const keys = ['wol', 'sopass'].filter(k => w.given.has(k));
    const got = ops.getStruct<Record<string, number & number[]>>(dev, S.ethtool_wolinfo, ETHTOOL.GWOL);
    let ok = false;
    if (!got.ok) out.perror('Cannot get current wake-on-lan settings', got.errno);
    else {
      const v: Record<string, number | number[]> = { ...got.v };
      if (w.wol !== undefined) v.wolopts = w.wol;
      if (w.sopass) v.sopass = w.sopass;
      const r = ops.setStruct(dev, S.ethtool_wolinfo, ETHTOOL.SWOL, v);
      if (r < 0) out.perror('Cannot set new wake-on-lan settings', -r);
      else ok = true;
    }
    if (!ok) {
      if (w.given.has('wol')) out.err('  not setting wol\n');
      if (w.given.has('sopass')) out.err('  not setting sopass\n');
      failed.push(...keys);
    } else applied.push(...keys);
  }

  if (w.msglvl) {
    const g = ops.value(dev, ETHTOOL.GMSGLVL);
    if (g.r < 0) {
      out.perror('Cannot get msglvl', -g.r);
      failed.push('msglvl');
    } else {
      const s = ops.value(dev, ETHTOOL.SMSGLVL, ((g.data & ~w.msglvl.mask) | w.msglvl.wanted) >>> 0);
      if (s.r < 0) {
        out.perror('Cannot set new msglvl', -s.r);
        failed.push('msglvl');
      } else applied.push('msglvl');
    }
  }
  out.object({ ifname: ctx.devname, applied, failed });
  return 0;
}

/** Apply the link keys to what was read and write it back; 0 or the errno to report. */
function setLink(ctx: Ctx, link: LinkRead, w: SsetWanted): number {
  const { out } = ctx;
  const n = link.nwords;
  let adv = link.advertising.slice();
  let mdixCtrl = link.eth_tp_mdix_ctrl;
  if (w.mdix !== undefined) {
    if (link.eth_tp_mdix_ctrl !== ETH_TP_MDI.INVALID) mdixCtrl = w.mdix;
    else out.err('setting MDI not supported\n');
  }
  const autoneg = w.autoneg ?? link.autoneg;

  // Advertising: a mask given outright, one mode for (speed, duplex), or with "autoneg on"
  // every supported mode.
  const modeBit = w.advertise === undefined && w.speed !== undefined && w.duplex !== undefined
    ? SPEED_DUPLEX_MODE[`${w.speed}/${w.duplex}`] : undefined;
  // Said even when an explicit "advertise" mask is applied: ethtool only looks for a mode.
  if ((w.speed !== undefined || w.duplex !== undefined) && autoneg !== AUTONEG.DISABLE && modeBit === undefined) {
    let m = 'Cannot advertise';
    if (w.speed !== undefined && w.speed >= 0) m += ` speed ${w.speed}`;
    if (w.duplex !== undefined) m += ` duplex ${w.duplex === DUPLEX.FULL ? 'full' : 'half'}`;
    out.err(m + '\n');
  }

  const ALL = allModesMask();
  const clearModes = (words: number[]): number[] => words.map((x, i) => (x & ~(ALL[i] ?? 0)) >>> 0);
  if (w.autoneg === AUTONEG.ENABLE && w.advertise === undefined && modeBit === undefined) {
    adv = clearModes(adv).map((x, i) => (x | (link.supported[i] & (ALL[i] ?? 0))) >>> 0);
    const unknown = link.supported.some((x, i) => {
      const known = i < 2 ? 0xffffffff : i === 2 ? (1 << (KNOWN_BITS - 64)) - 1 : 0;
      return (x & ~known) !== 0;
    });
    if (unknown) out.err('Driver supports one or more unknown flags\n');
  } else if (modeBit !== undefined) {
    adv = clearModes(adv);
    adv[modeBit >> 5] = (adv[modeBit >> 5] | (1 << (modeBit & 31))) >>> 0;
  } else if (w.advertise !== undefined) {
    adv = Array.from({ length: Math.max(n, w.advertise.length) }, (_, i) => w.advertise![i] ?? 0);
  }
  // Refused without a syscall, reporting whatever errno was left over: modes above bit 31 do
  // not fit the legacy call, and the extended call has no transceiver field to set.
  if (link.legacy ? adv.slice(1).some(x => x !== 0) : w.xcvr) {
    out.perror('Cannot set new settings', ctx.dev.lastErrno);
    return ctx.dev.lastErrno;
  }
  const r = ops.writeLink(ctx.dev, link, {
    speed: w.speed ?? link.speed, duplex: w.duplex ?? link.duplex, port: w.port ?? link.port,
    phy_address: w.phyad ?? link.phy_address, autoneg, eth_tp_mdix_ctrl: mdixCtrl,
    transceiver: link.legacy ? w.xcvr : undefined, advertising: adv,
  });
  if (r < 0) {
    out.perror('Cannot set new settings', -r);
    return -r;
  }
  return 0;
}
