/**
 * -k / -K: offload and other features. The kernel names its features (string set 4); the
 * twelve legacy offload names (rx, tx, sg, tso, …) are groups over those names, shown first,
 * with the kernel's per-feature state under them — ethtool's layout, reproduced exactly.
 */
import type { Ctx } from '../run';
import { badArgs } from '../run';
import type { Dev } from '../dev';
import { view } from '../dev';
import * as S from '../../ethtool/structs';
import { ETHTOOL, ETH_SS } from '../../ethtool/constants';
import { request } from '../../ethtool/layout';
import { strerror } from '../../ffi/strerror';
import type { JsonValue } from '../json';

const EPERM = 1, EINVAL = 22, EOPNOTSUPP = 95;

interface LegacyFlag {
  short: string;
  long: string;
  /** Kernel feature names it stands for: exact, or prefix*suffix with one wildcard. */
  pattern: string;
  /** Its own GET ioctl, or 0 when its state is a bit of ETHTOOL_GFLAGS. */
  getCmd: number;
  /** Bit in the combined legacy state word (GFLAGS bits for the flag-backed ones). */
  bit: number;
}

/** The legacy offload table, in ethtool's order (which is also the -k output order). */
export const LEGACY: readonly LegacyFlag[] = [
  { short: 'rx', long: 'rx-checksumming', pattern: 'rx-checksum', getCmd: ETHTOOL.GRXCSUM, bit: 1 << 0 },
  { short: 'tx', long: 'tx-checksumming', pattern: 'tx-checksum-*', getCmd: ETHTOOL.GTXCSUM, bit: 1 << 1 },
  { short: 'sg', long: 'scatter-gather', pattern: 'tx-scatter-gather*', getCmd: ETHTOOL.GSG, bit: 1 << 2 },
  { short: 'tso', long: 'tcp-segmentation-offload', pattern: 'tx-tcp*-segmentation', getCmd: ETHTOOL.GTSO, bit: 1 << 3 },
  { short: 'ufo', long: 'udp-fragmentation-offload', pattern: 'tx-udp-fragmentation', getCmd: ETHTOOL.GUFO, bit: 1 << 4 },
  { short: 'gso', long: 'generic-segmentation-offload', pattern: 'tx-generic-segmentation', getCmd: ETHTOOL.GGSO, bit: 1 << 5 },
  { short: 'gro', long: 'generic-receive-offload', pattern: 'rx-gro', getCmd: ETHTOOL.GGRO, bit: 1 << 6 },
  { short: 'lro', long: 'large-receive-offload', pattern: 'rx-lro', getCmd: 0, bit: 1 << 15 },
  { short: 'rxvlan', long: 'rx-vlan-offload', pattern: 'rx-vlan-hw-parse', getCmd: 0, bit: 1 << 8 },
  { short: 'txvlan', long: 'tx-vlan-offload', pattern: 'tx-vlan-hw-insert', getCmd: 0, bit: 1 << 7 },
  { short: 'ntuple', long: 'ntuple-filters', pattern: 'rx-ntuple-filter', getCmd: 0, bit: 1 << 27 },
  { short: 'rxhash', long: 'receive-hashing', pattern: 'rx-hashing', getCmd: 0, bit: 1 << 28 },
];

/** The GFLAGS bits that carry legacy offload state. */
const FLAG_MASK = LEGACY.filter(l => l.getCmd === 0).reduce((m, l) => m | l.bit, 0);

export function matches(pattern: string, name: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === name;
  const pre = pattern.slice(0, star), suf = pattern.slice(star + 1);
  return name.length >= pre.length + suf.length && name.startsWith(pre) && name.endsWith(suf);
}

export interface FeatureDefs {
  names: string[];
  /** Per feature: index into LEGACY of the first group that claims it, or -1. */
  group: number[];
  /** Per legacy flag: how many features it claims. */
  matched: number[];
}

export function featureDefs(names: string[]): FeatureDefs {
  const group = names.map(n => LEGACY.findIndex(l => matches(l.pattern, n)));
  const matched = LEGACY.map((_, i) => group.filter(g => g === i).length);
  return { names, group, matched };
}

/** Names query as ethtool does it: a few errnos just mean "no named features". */
function getDefs(dev: Dev): FeatureDefs | { errno: number } {
  const r = dev.stringSet(ETH_SS.FEATURES, null, true);
  if (r.ok) return featureDefs(r.names);
  if (r.errno === EOPNOTSUPP || r.errno === EINVAL || r.errno === EPERM) return featureDefs([]);
  return { errno: r.errno };
}

export interface FeatureState {
  /** Legacy state word (ethtool's "off_flags"). */
  legacy: number;
  available: Uint32Array; requested: Uint32Array; active: Uint32Array; neverChanged: Uint32Array;
}

const bit = (words: Uint32Array, i: number): boolean => ((words[i >> 5] >>> (i & 31)) & 1) === 1;

/** Read legacy ioctls, GFLAGS and GFEATURES; null when every one of them failed. */
function getState(ctx: Ctx, defs: FeatureDefs): FeatureState | null {
  const { out, dev } = ctx;
  let allFailed = true;
  let legacy = 0;
  for (const l of LEGACY) {
    if (!l.getCmd) continue;
    const { r, data } = dev.value(l.getCmd);
    if (r < 0) {
      if (-r === EOPNOTSUPP && l.getCmd === ETHTOOL.GUFO) continue;
      out.err(`Cannot get device ${l.long} settings: ${strerror(-r)}\n`);
    } else {
      if (data) legacy |= l.bit;
      allFailed = false;
    }
  }
  const flags = dev.value(ETHTOOL.GFLAGS);
  if (flags.r < 0) out.perror('Cannot get device flags', -flags.r);
  else {
    legacy |= flags.data & FLAG_MASK;
    allFailed = false;
  }
  const blocks = Math.ceil(defs.names.length / 32);
  const st: FeatureState = {
    legacy, available: new Uint32Array(blocks), requested: new Uint32Array(blocks),
    active: new Uint32Array(blocks), neverChanged: new Uint32Array(blocks),
  };
  if (defs.names.length > 0) {
    const G = S.ethtool_gfeatures;
    const buf = request(G, ETHTOOL.GFEATURES, blocks * 16);
    view(buf).setUint32(4, blocks, true);
    const r = dev.ioctl(buf);
    if (r < 0) out.perror('Cannot get device generic features', -r);
    else {
      const dv = view(buf);
      for (let b = 0; b < blocks; b++) {
        const o = G.flex!.offset + 16 * b;
        st.available[b] = dv.getUint32(o, true);
        st.requested[b] = dv.getUint32(o + 4, true);
        st.active[b] = dv.getUint32(o + 8, true);
        st.neverChanged[b] = dv.getUint32(o + 12, true);
      }
      allFailed = false;
    }
  }
  return allFailed ? null : st;
}

/** ethtool stops showing udp-fragmentation-offload from Linux 4.14 on (when unmatched). */
function kernelAtLeast(major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec((require('node:os') as typeof import('node:os')).release());
  if (!m) return true;
  const a = Number(m[1]), b = Number(m[2]);
  return a > major || (a === major && b >= minor);
}

interface Line { text: string; key: string; json: JsonValue }

/**
 * The -k listing, or with `ref` the "Actual changes" listing (only what differs from `ref`).
 * Each line carries its JSON form too.
 */
export function dumpFeatures(defs: FeatureDefs, st: FeatureState, ref: FeatureState | null): Line[] {
  const lines: Line[] = [];
  const feature = (j: number, name: string, prefix: string): void => {
    const active = bit(st.active, j);
    if (ref && active === bit(ref.active, j)) return;
    const fixed = !bit(st.available, j) || bit(st.neverChanged, j);
    const requested = bit(st.requested, j);
    const suffix = fixed ? ' [fixed]' : active !== requested ? (requested ? ' [requested on]' : ' [requested off]') : '';
    lines.push({ text: `${prefix}${name}: ${active ? 'on' : 'off'}${suffix}\n`, key: name, json: { active, fixed, requested } });
  };
  let modernUfo: boolean | null = null;
  LEGACY.forEach((l, i) => {
    if (defs.matched[i] === 0 && l.getCmd === ETHTOOL.GUFO && (modernUfo ??= kernelAtLeast(4, 14))) return;
    let indent = '';
    if (defs.matched[i] !== 1 && (!ref || ((st.legacy ^ ref.legacy) & l.bit))) {
      const on = (st.legacy & l.bit) !== 0;
      lines.push({ text: `${l.long}: ${on ? 'on' : 'off'}\n`, key: l.long, json: { active: on, fixed: null, requested: null } });
      indent = '\t';
    }
    defs.names.forEach((name, j) => {
      if (defs.group[j] !== i) return;
      if (defs.matched[i] !== 1) feature(j, name, indent);
      else feature(j, l.long, '');
    });
  });
  defs.names.forEach((name, j) => {
    if (defs.group[j] < 0 && name) feature(j, name, '');
  });
  return lines;
}

function toObject(lines: Line[]): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  for (const l of lines) o[l.key] = l.json;
  return o;
}

export function show(ctx: Ctx): number {
  const { out } = ctx;
  const defs = getDefs(ctx.dev);
  if ('errno' in defs) {
    out.perror('Cannot get device feature names', defs.errno);
    return 1;
  }
  out.print(`Features for ${ctx.devname}:\n`);
  const st = getState(ctx, defs);
  if (!st) {
    out.fail('no feature info available');
    out.print('no feature info available\n');
    return 1;
  }
  const lines = dumpFeatures(defs, st, null);
  out.print(lines.map(l => l.text).join(''));
  out.object({ ifname: ctx.devname, ...toObject(lines) });
  return 0;
}

export function set(ctx: Ctx): number {
  const { out, dev } = ctx;
  const defs = getDefs(dev);
  if ('errno' in defs) {
    out.perror('Cannot get device feature names', defs.errno);
    return 1;
  }
  // Parse: short legacy names, long legacy names, then kernel names (first match wins).
  const n = defs.names.length;
  const blocks = Math.ceil(n / 32);
  const valid = new Uint32Array(blocks), requested = new Uint32Array(blocks);
  let legacyWanted = 0, legacyMask = 0;
  let any = false;
  const args = ctx.args;
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i];
    const value = args[i + 1];
    let li = LEGACY.findIndex(l => l.short === name);
    if (li < 0) li = LEGACY.findIndex(l => l.long === name);
    const fi = li < 0 ? defs.names.indexOf(name) : -1;
    if ((li < 0 && fi < 0) || value === undefined) return badArgs(out);
    if (value !== 'on' && value !== 'off') return badArgs(out);
    any = true;
    if (li >= 0) {
      legacyMask |= LEGACY[li].bit;
      if (value === 'on') legacyWanted |= LEGACY[li].bit;
    } else {
      valid[fi >> 5] |= 1 << (fi & 31);
      if (value === 'on') requested[fi >> 5] |= 1 << (fi & 31);
    }
  }
  if (!any) {
    out.print('no features changed\n');
    out.object({ ifname: ctx.devname, changes: {}, mismatch: false });
    return 0;
  }
  const old = getState(ctx, defs);
  if (!old) return 1;

  if (n > 0) {
    LEGACY.forEach((l, i) => {
      if (!(legacyMask & l.bit)) return;
      let fixed = true;
      for (let j = 0; j < n; j++) {
        if (defs.group[j] !== i || !bit(old.available, j) || bit(old.neverChanged, j)) continue;
        fixed = false;
        if (!bit(valid, j)) {
          valid[j >> 5] |= 1 << (j & 31);
          if (legacyWanted & l.bit) requested[j >> 5] |= 1 << (j & 31);
        }
      }
      if (fixed) out.err(`Cannot change ${l.long}\n`);
    });
    const F = S.ethtool_sfeatures;
    const buf = request(F, ETHTOOL.SFEATURES, blocks * 8);
    const dv = view(buf);
    dv.setUint32(4, blocks, true);
    for (let b = 0; b < blocks; b++) {
      dv.setUint32(F.flex!.offset + 8 * b, valid[b], true);
      dv.setUint32(F.flex!.offset + 8 * b + 4, requested[b], true);
    }
    const r = dev.ioctl(buf);
    if (r < 0) {
      out.perror('Cannot set device feature settings', -r);
      return 1;
    }
  } else {
    const code = setLegacy(ctx, legacyWanted, legacyMask);
    if (code) return code;
  }

  const now = getState(ctx, defs);
  if (!now) return 1;
  let changed = now.legacy !== old.legacy;
  let mismatch = now.legacy !== ((old.legacy & ~legacyMask) | legacyWanted);
  for (let b = 0; b < blocks; b++) {
    if (now.active[b] !== old.active[b]) changed = true;
    if (now.active[b] !== (((old.active[b] & ~valid[b]) | requested[b]) >>> 0)) mismatch = true;
  }
  const lines = dumpFeatures(defs, now, old);
  if (mismatch && !changed) {
    // A failure: no document (docs/json.md), only the error.
    out.err('Could not change any device features\n');
    return 1;
  }
  out.object({ ifname: ctx.devname, changes: toObject(lines), mismatch });
  if (mismatch) {
    out.print('Actual changes:\n' + lines.map(l => l.text).join(''));
  }
  return 0;
}

/** Kernels without named features: one legacy set ioctl per offload, then the flags word. */
function setLegacy(ctx: Ctx, wanted: number, mask: number): number {
  const SET: Record<string, number> = {
    rx: ETHTOOL.SRXCSUM, tx: ETHTOOL.STXCSUM, sg: ETHTOOL.SSG, tso: ETHTOOL.STSO,
    ufo: ETHTOOL.SUFO, gso: ETHTOOL.SGSO, gro: ETHTOOL.SGRO,
  };
  for (const l of LEGACY) {
    if (!l.getCmd || !(mask & l.bit)) continue;
    const { r } = ctx.dev.value(SET[l.short], wanted & l.bit ? 1 : 0);
    if (r < 0) {
      ctx.out.err(`Cannot set device ${l.long} settings: ${strerror(-r)}\n`);
      return 1;
    }
  }
  if (mask & FLAG_MASK) {
    const g = ctx.dev.value(ETHTOOL.GFLAGS);
    if (g.r < 0) {
      ctx.out.perror('Cannot get device flag settings', -g.r);
      return 91;
    }
    const data = (g.data & ~(mask & FLAG_MASK)) | (wanted & FLAG_MASK);
    const s = ctx.dev.value(ETHTOOL.SFLAGS, data >>> 0);
    if (s.r < 0) {
      ctx.out.perror('Cannot set device flag settings', -s.r);
      return 92;
    }
  }
  return 0;
}
