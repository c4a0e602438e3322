/**
 * The settings page (`ethkit DEV`) and -s/--change: link settings (GLINKSETTINGS, or the
 * legacy GSET), wake-on-LAN, message level and link state.
 */
import type { Ctx } from '../run';
import { badArgs } from '../run';
import type { Dev } from '../dev';
import { view } from '../dev';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import { request, decode } from '../../ethtool/layout';
import { LINK_MODES, BIT, PORT_BITS, FEC_BITS, KNOWN_BITS, testBit } from '../linkmodes';
import { parseInt32, parseUnsigned, parseOnOff } from '../parse';
import type { JsonValue } from '../json';

const EOPNOTSUPP = 95;
const MAX_NWORDS = 127;

// ---- reading link settings ----------------------------------------------------------------

export interface Link {
  legacy: boolean;
  /** The request buffer as the kernel filled it (reused for the SET). */
  buf: Uint8Array;
  nwords: number;
  speed: number; duplex: number; port: number; phyad: number; transceiver: number;
  autoneg: number; mdix: number; mdixCtrl: number;
  supported: number[]; advertising: number[]; lp: number[];
}

const L = S.ethtool_link_settings;
const C = S.ethtool_cmd;

/** GLINKSETTINGS (with its nwords handshake), else GSET — as ethtool's ioctl path. */
export function readLink(dev: Dev): Link | { errno: number } {
  const room = 3 * MAX_NWORDS * 4;
  const probe = request(L, ETHTOOL.GLINKSETTINGS, room);
  let r = dev.ioctl(probe);
  const nwOff = L.byName.link_mode_masks_nwords.offset;
  if (r >= 0 && view(probe).getInt8(nwOff) < 0 && view(probe).getUint32(0, true) === ETHTOOL.GLINKSETTINGS) {
    const n = -view(probe).getInt8(nwOff);
    const buf = request(L, ETHTOOL.GLINKSETTINGS, room);
    view(buf).setInt8(nwOff, n);
    r = dev.ioctl(buf);
    const got = view(buf).getInt8(nwOff);
    if (r >= 0 && got > 0 && view(buf).getUint32(0, true) === ETHTOOL.GLINKSETTINGS) {
      const d = decode(L, buf) as Record<string, number>;
      const words = (k: number): number[] => {
        const out: number[] = [];
        for (let i = 0; i < got; i++) out.push(view(buf).getUint32(L.flex!.offset + 4 * (k * got + i), true));
        return out;
      };
      return {
        legacy: false, buf, nwords: got,
        speed: d.speed, duplex: d.duplex, port: d.port, phyad: d.phy_address, transceiver: d.transceiver,
        autoneg: d.autoneg, mdix: d.eth_tp_mdix, mdixCtrl: d.eth_tp_mdix_ctrl,
        supported: words(0), advertising: words(1), lp: words(2),
      };
    }
  }
  const buf = request(C, ETHTOOL.GSET);
  const g = dev.ioctl(buf);
  if (g < 0) return { errno: -g };
  const c = decode(C, buf) as Record<string, number>;
  return {
    legacy: true, buf, nwords: 1,
    speed: ((c.speed_hi << 16) | c.speed) >>> 0, duplex: c.duplex, port: c.port, phyad: c.phy_address,
    transceiver: c.transceiver, autoneg: c.autoneg, mdix: c.eth_tp_mdix, mdixCtrl: c.eth_tp_mdix_ctrl,
    supported: [c.supported], advertising: [c.advertising], lp: [c.lp_advertising],
  };
}

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

const PORT_NAMES: Record<number, string> = {
  0x00: 'Twisted Pair', 0x01: 'AUI', 0x02: 'MII', 0x03: 'FIBRE', 0x04: 'BNC', 0x05: 'Direct Attach Copper',
  0xef: 'None', 0xff: 'Other',
};

function mdixText(ctrl: number, st: number): string {
  if (ctrl === 1) return 'off (forced)';
  if (ctrl === 2) return 'on (forced)';
  return (st === 1 ? 'off' : st === 2 ? 'on' : 'Unknown') + (ctrl === 3 ? ' (auto)' : '');
}

function linkBlock(l: Link, json: Record<string, JsonValue>): string {
  const ports = PORT_BITS.filter(([b]) => testBit(l.supported, b)).map(([, n]) => n);
  json['supported-ports'] = ports;
  let t = `\tSupported ports: [ ${ports.map(p => p + ' ').join('')}]\n`;
  t += linkCaps('Supported', 'Supports', l.supported, json, 'supported');
  t += linkCaps('Advertised', 'Advertised', l.advertising, json, 'advertised');
  if (l.lp.some(w => w !== 0)) {
    t += linkCaps('Link partner advertised', 'Link partner advertised', l.lp, json, 'link-partner-advertised');
  }
  const unknownSpeed = l.speed === 0 || l.speed === 0xffff || l.speed === 0xffffffff;
  t += `\tSpeed: ${unknownSpeed ? 'Unknown!' : `${l.speed}Mb/s`}\n`;
  json.speed = unknownSpeed ? null : l.speed;
  const duplex = l.duplex === 0 ? 'Half' : l.duplex === 1 ? 'Full' : null;
  t += `\tDuplex: ${duplex ?? `Unknown! (${l.duplex})`}\n`;
  json.duplex = duplex ?? 'Unknown';
  const port = PORT_NAMES[l.port];
  t += `\tPort: ${port ?? `Unknown! (${l.port})`}\n`;
  json.port = port ?? 'Unknown';
  t += `\tPHYAD: ${l.phyad}\n`;
  json.phyad = l.phyad;
  const xcvr = l.transceiver === 0 ? 'internal' : l.transceiver === 1 ? 'external' : 'Unknown!';
  t += `\tTransceiver: ${xcvr}\n`;
  json.transceiver = xcvr === 'Unknown!' ? 'Unknown' : xcvr;
  t += `\tAuto-negotiation: ${l.autoneg === 0 ? 'off' : 'on'}\n`;
  json['auto-negotiation'] = l.autoneg !== 0;
  if (l.port === 0) {
    t += `\tMDI-X: ${mdixText(l.mdixCtrl, l.mdix)}\n`;
    json['mdi-x'] = mdixText(l.mdixCtrl, l.mdix);
  }
  return t;
}

/** Wake-on-LAN letters in ethtool's order; "d" (disabled) for none. */
const WOL_LETTERS: readonly [string, number][] = [
  ['p', 0x01], ['u', 0x02], ['m', 0x04], ['b', 0x08], ['a', 0x10], ['g', 0x20], ['s', 0x40], ['f', 0x80],
];
const WAKE_MAGICSECURE = 0x40;

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

  const link = readLink(dev);
  if (!('errno' in link)) {
    text += linkBlock(link, json);
    allFailed = false;
  } else if (link.errno !== EOPNOTSUPP) {
    out.perror('Cannot get device settings', link.errno);
  }

  const wol = dev.get<Record<string, number & number[]>>(S.ethtool_wolinfo, ETHTOOL.GWOL);
  if (wol.ok) {
    text += `\tSupports Wake-on: ${wolText(wol.v.supported)}\n\tWake-on: ${wolText(wol.v.wolopts)}\n`;
    json['supports-wake-on'] = wolText(wol.v.supported);
    json['wake-on'] = wolText(wol.v.wolopts);
    if (wol.v.supported & WAKE_MAGICSECURE) {
      const pass = (wol.v.sopass as number[]).map(x => x.toString(16).padStart(2, '0')).join(':');
      text += `        SecureOn password: ${pass}\n`;
      json['secureon-password'] = pass;
    }
    allFailed = false;
  } else if (wol.errno !== EOPNOTSUPP) {
    out.perror('Cannot get wake-on-lan settings', wol.errno);
  }

  const msg = dev.value(ETHTOOL.GMSGLVL);
  if (msg.r >= 0) {
    text += msglvlBlock(msg.data, json);
    allFailed = false;
  } else if (-msg.r !== EOPNOTSUPP) {
    out.perror('Cannot get message level', -msg.r);
  }

  const lk = dev.value(ETHTOOL.GLINK);
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
  duplex: { half: 0, full: 1 },
  port: { tp: 0x00, aui: 0x01, bnc: 0x04, mii: 0x02, fibre: 0x03 },
  mdix: { auto: 3, on: 2, off: 1 },
  autoneg: { on: 1, off: 0 },
  xcvr: { internal: 0, external: 1 },
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
  if (!/^[0-9a-fA-F]*$/.test(h) || h.length > MAX_NWORDS * 8) return null;
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
    const link = readLink(dev);
    if ('errno' in link) {
      out.perror('Cannot get current device settings', link.errno);
      errno = link.errno;
    } else {
      errno = setLink(ctx, link, w);
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
    const got = dev.get<Record<string, number & number[]>>(S.ethtool_wolinfo, ETHTOOL.GWOL);
    let ok = false;
    if (!got.ok) out.perror('Cannot get current wake-on-lan settings', got.errno);
    else {
      const v: Record<string, number | number[]> = { ...got.v };
      if (w.wol !== undefined) v.wolopts = w.wol;
      if (w.sopass) v.sopass = w.sopass;
      const r = dev.set(S.ethtool_wolinfo, ETHTOOL.SWOL, v as Record<string, number>);
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
    const g = dev.value(ETHTOOL.GMSGLVL);
    if (g.r < 0) {
      out.perror('Cannot get msglvl', -g.r);
      failed.push('msglvl');
    } else {
      const s = dev.value(ETHTOOL.SMSGLVL, ((g.data & ~w.msglvl.mask) | w.msglvl.wanted) >>> 0);
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
function setLink(ctx: Ctx, link: Link, w: SsetWanted): number {
  const { out } = ctx;
  const n = link.nwords;
  let adv = link.advertising.slice();
  const speed = w.speed ?? link.speed;
  const duplex = w.duplex ?? link.duplex;
  const port = w.port ?? link.port;
  let mdixCtrl = link.mdixCtrl;
  if (w.mdix !== undefined) {
    if (link.mdixCtrl !== 0) mdixCtrl = w.mdix;
    else out.err('setting MDI not supported\n');
  }
  const autoneg = w.autoneg ?? link.autoneg;
  const phyad = w.phyad ?? link.phyad;

  // Advertising: a mask given outright, one mode for (speed, duplex), or with "autoneg on"
  // every supported mode.
  const modeBit = w.advertise === undefined && w.speed !== undefined && w.duplex !== undefined
    ? SPEED_DUPLEX_MODE[`${w.speed}/${w.duplex}`] : undefined;
  // Said even when an explicit "advertise" mask is applied: ethtool only looks for a mode.
  if ((w.speed !== undefined || w.duplex !== undefined) && autoneg !== 0 && modeBit === undefined) {
    let m = 'Cannot advertise';
    if (w.speed !== undefined && w.speed >= 0) m += ` speed ${w.speed}`;
    if (w.duplex !== undefined) m += ` duplex ${w.duplex === 1 ? 'full' : 'half'}`;
    out.err(m + '\n');
  }

  const ALL = allModesMask();
  const clearModes = (words: number[]): number[] => words.map((x, i) => (x & ~(ALL[i] ?? 0)) >>> 0);
  if (w.autoneg === 1 && w.advertise === undefined && modeBit === undefined) {
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
  const buf = link.buf;
  const dv = view(buf);
  if (link.legacy) {
    // Modes above bit 31 do not fit the legacy call: refused without a syscall.
    if (adv.slice(1).some(x => x !== 0)) {
      out.perror('Cannot set new settings', ctx.dev.lastErrno);
      return ctx.dev.lastErrno;
    }
    dv.setUint32(0, ETHTOOL.SSET, true);
    const o = C.byName;
    dv.setUint16(o.speed.offset, speed & 0xffff, true);
    dv.setUint16(o.speed_hi.offset, (speed >>> 16) & 0xffff, true);
    dv.setUint8(o.duplex.offset, duplex);
    dv.setUint8(o.port.offset, port);
    dv.setUint8(o.phy_address.offset, phyad & 0xff);
    if (w.xcvr !== undefined) dv.setUint8(o.transceiver.offset, w.xcvr);
    dv.setUint8(o.autoneg.offset, autoneg);
    dv.setUint8(o.eth_tp_mdix_ctrl.offset, mdixCtrl);
    dv.setUint32(o.advertising.offset, adv[0] >>> 0, true);
  } else {
    // The extended call has no transceiver field to set: ethtool refuses "xcvr external"
    // without issuing it, reporting whatever errno was left over.
    if (w.xcvr) {
      out.perror('Cannot set new settings', ctx.dev.lastErrno);
      return ctx.dev.lastErrno;
    }
    dv.setUint32(0, ETHTOOL.SLINKSETTINGS, true);
    const o = L.byName;
    dv.setUint32(o.speed.offset, speed >>> 0, true);
    dv.setUint8(o.duplex.offset, duplex);
    dv.setUint8(o.port.offset, port);
    dv.setUint8(o.phy_address.offset, phyad & 0xff);
    dv.setUint8(o.autoneg.offset, autoneg);
    dv.setUint8(o.eth_tp_mdix_ctrl.offset, mdixCtrl);
    for (let i = 0; i < n; i++) dv.setUint32(L.flex!.offset + 4 * (n + i), (adv[i] ?? 0) >>> 0, true);
  }
  const r = ctx.dev.ioctl(buf);
  if (r < 0) {
    out.perror('Cannot set new settings', -r);
    return -r;
  }
  return 0;
}
