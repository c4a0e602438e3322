/**
 * -k / -K: offload and other features. The kernel names its features (string set 4); the
 * twelve legacy offload names (rx, tx, sg, tso, …) are groups over those names, shown first,
 * with the kernel's per-feature state under them — ethtool's layout, reproduced exactly.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import type { Dev } from '../dev';
import { ETHTOOL, ETH_SS } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { featureBit as bit, FeatureWords } from '../../ethtool/ops';
import { LEGACY_OFFLOADS as LEGACY, LEGACY_FLAG_MASK as FLAG_MASK, offloadGroups } from '../../ethtool/catalog/offloads';
import { ERRNO, strerror } from '../../ethtool/errno';
import type { JsonValue } from '../json';

/** The legacy offloads with an ioctl of their own (the others are bits of ETHTOOL_GFLAGS). */
const ownIoctl = (l: (typeof LEGACY)[number]): boolean => l.flag === undefined;

export interface FeatureDefs {
  names: string[];
  /** Per feature: index into LEGACY of the first group that claims it, or -1. */
  group: number[];
  /** Per legacy flag: how many features it claims. */
  matched: number[];
}

export function featureDefs(names: string[]): FeatureDefs {
  return { names, ...offloadGroups(names) };
}

/** Names query as ethtool does it: a few errnos just mean "no named features". */
function getDefs(dev: Dev): FeatureDefs | { errno: number } {
  const r = ops.stringSet(dev, ETH_SS.FEATURES, { fallback: null, nulTerminate: true });
  if (r.ok) return featureDefs(r.v);
  if (r.errno === ERRNO.EOPNOTSUPP || r.errno === ERRNO.EINVAL || r.errno === ERRNO.EPERM) return featureDefs([]);
  return { errno: r.errno };
}

export interface FeatureState extends FeatureWords {
  /** Legacy state word (ethtool's "off_flags"). */
  legacy: number;
}


/** Read legacy ioctls, GFLAGS and GFEATURES; null when every one of them failed. */
function getState(ctx: Ctx, defs: FeatureDefs): FeatureState | null {
  const { out, dev } = ctx;
  let allFailed = true;
  let legacy = 0;
  for (const l of LEGACY) {
    if (!ownIoctl(l)) continue;
    const { r, data } = ops.value(dev, l.getCmd);
    if (r < 0) {
      if (-r === ERRNO.EOPNOTSUPP && l.getCmd === ETHTOOL.GUFO) continue;
      out.err(`Cannot get device ${l.long} settings: ${strerror(-r)}\n`);
    } else {
      if (data) legacy |= l.bit;
      allFailed = false;
    }
  }
  const flags = ops.value(dev, ETHTOOL.GFLAGS);
  if (flags.r < 0) out.perror('Cannot get device flags', -flags.r);
  else {
    legacy |= flags.data & FLAG_MASK;
    allFailed = false;
  }
  const blocks = Math.ceil(defs.names.length / 32);
  let st: FeatureState = {
    legacy, available: new Uint32Array(blocks), requested: new Uint32Array(blocks),
    active: new Uint32Array(blocks), neverChanged: new Uint32Array(blocks),
  };
  if (defs.names.length > 0) {
    const w = ops.getFeatures(dev, defs.names.length);
    if (!w.ok) out.perror('Cannot get device generic features', w.errno);
    else {
      const { size: _size, ...words } = w.v;
      st = { legacy, ...words };
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
    if (defs.matched[i] === 0 && l.short === 'ufo' && (modernUfo ??= kernelAtLeast(4, 14))) return;
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
    const r = ops.setFeatures(dev, valid, requested);
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
  for (const l of LEGACY) {
    if (!ownIoctl(l) || !(mask & l.bit)) continue;
    const { r } = ops.value(ctx.dev, l.setCmd, wanted & l.bit ? 1 : 0);
    if (r < 0) {
      ctx.out.err(`Cannot set device ${l.long} settings: ${strerror(-r)}\n`);
      return 1;
    }
  }
  if (mask & FLAG_MASK) {
    const g = ops.value(ctx.dev, ETHTOOL.GFLAGS);
    if (g.r < 0) {
      ctx.out.perror('Cannot get device flag settings', -g.r);
      return 91;
    }
    const s = ops.value(ctx.dev, ETHTOOL.SFLAGS, ((g.data & ~(mask & FLAG_MASK)) | (wanted & FLAG_MASK)) >>> 0);
    if (s.r < 0) {
      ctx.out.perror('Cannot set device flag settings', -s.r);
      return 92;
    }
  }
  return 0;
}
