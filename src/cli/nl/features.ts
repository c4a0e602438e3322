/**
 * -k / -K over netlink (ethtool 6.1's netlink/features.c): FEATURES_GET with compact bitsets,
 * named with the global FEATURES string set and laid out like the ioctl path (legacy groups
 * first); FEATURES_SET with the requested names, answered by FEATURES_SET_REPLY, whose
 * differences from the request are listed as "Actual changes" in kernel order.
 *
 * featuresReply() prints one FEATURES_GET_REPLY or FEATURES_NTF (the monitor's too).
 */
import type { Reply } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import { Bitset } from '../../ethtool/netlink/bitset';
import { ETH_SS } from '../../ethtool/netlink/constants';
import { LEGACY_OFFLOADS, featureMatches, offloadGroups } from '../../ethtool/catalog/offloads';
import type { JsonValue } from '../json';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, replies, reportAck, unexpectedParam } from './cmd';
import type { Printer } from './print';

/** The global FEATURES string set (ethtool's global_stringset; none when it cannot be had). */
export function featureNames(c: NlCtx): string[] {
  try {
    return c.nl.globalStringSet(ETH_SS.FEATURES);
  } catch {
    return [];
  }
}

interface FeatureBits { hw: Bitset; wanted: Bitset; active: Bitset; nochange: Bitset; count: number }

/** prepare_feature_results: all four bitsets, compact, of one size. */
function featureBits(a: Attrs): FeatureBits | null {
  const { hw, wanted, active, nochange } = a;
  if (!(hw instanceof Bitset) || !(wanted instanceof Bitset) || !(active instanceof Bitset) || !(nochange instanceof Bitset)) return null;
  const count = hw.size;
  if (wanted.size !== count || active.size !== count || nochange.size !== count) return null;
  return { hw, wanted, active, nochange, count };
}

function dumpFeature(p: Printer, f: FeatureBits, i: number, name: string | undefined, prefix: string): void {
  if (!name) return;
  const active = f.active.test(i);
  const wanted = f.wanted.test(i);
  const fixed = !f.hw.test(i) || f.nochange.test(i);
  const suffix = fixed ? ' [fixed]' : active !== wanted ? (wanted ? ' [requested on]' : ' [requested off]') : '';
  p.field(name, `${prefix}${name}: ${active ? 'on' : 'off'}${suffix}\n`, { active, fixed, requested: wanted });
}

/** dump_features: legacy groups and their features, then every other named feature. False: a malformed reply. */
function dumpFeatures(p: Printer, a: Attrs, names: readonly string[]): boolean {
  const f = featureBits(a);
  if (!f) return false;
  const nameOf = (i: number): string | undefined => names[i];
  const { group } = offloadGroups(Array.from({ length: f.count }, (_, i) => nameOf(i)));
  LEGACY_OFFLOADS.forEach((l, gi) => {
    // No kernel with the netlink interface has UFO.
    if (l.short === 'ufo') return;
    let n = 0;
    let on = false;
    for (let i = 0; i < f.count; i++) {
      if (group[i] !== gi) continue;
      n++;
      on ||= f.active.test(i);
    }
    if (n !== 1) p.field(l.long, `${l.long}: ${on ? 'on' : 'off'}\n`, { active: on, fixed: null, requested: null });
    if (n === 0) return;
    for (let i = 0; i < f.count; i++) {
      if (group[i] !== gi) continue;
      if (n === 1) dumpFeature(p, f, i, l.long, '');
      else dumpFeature(p, f, i, nameOf(i), '\t');
    }
  });
  for (let i = 0; i < f.count; i++) {
    if (group[i] < 0) dumpFeature(p, f, i, nameOf(i), '');
  }
  return true;
}

/**
 * features_reply_cb: one device's features. Dumps and notifications start with a blank line
 * (printed into the JSON document too, as ethtool does). False: the command fails.
 */
export function featuresReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c) || c.st.isMonitor;
  const names = featureNames(c);
  const dev = replyDev(r);
  if (!devOk(c, dev)) return true;
  if (silent) c.p.raw('\n');
  c.p.openObject(null);
  c.p.field('ifname', `Features for ${dev}:\n`, dev);
  const ok = dumpFeatures(c.p, r.attrs, names);
  c.p.closeObject();
  return silent || ok;
}

/** -k DEV: nl_gfeatures. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'FEATURES_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  c.out.alwaysDocument();
  return getRequest(c, 'FEATURES_GET', r => featuresReply(c, r), { compact: true });
}

/** -K DEV NAME on|off …: nl_sfeatures. */
export function set(c: NlCtx): number {
  if (cmdCheck(c, 'FEATURES_SET', false)) return NL_FALLBACK;
  const names = featureNames(c);
  const count = names.length;
  const reqMask = new Bitset(count, { list: true });
  const bits: { name: string; value: boolean }[] = [];
  const args = c.args;
  let i = 0;
  while (i < args.length) {
    if (args[i] === '--') break;
    const value = args[i + 1];
    if (value !== 'on' && value !== 'off') {
      const text = `flag '${value ?? '(null)'}' for parameter '(null)' is not followed by 'on' or 'off'`;
      c.out.err(`ethtool (-K): ${text}\n`);
      c.out.fail(text);
      return 1;
    }
    const on = value === 'on';
    const word = args[i];
    const legacy = LEGACY_OFFLOADS.find(l => l.short === word || l.long === word);
    if (legacy) {
      names.forEach((n, j) => {
        if (!featureMatches(legacy.pattern, n)) return;
        bits.push({ name: n, value: on });
        reqMask.set(j, true);
      });
    } else {
      bits.push({ name: word, value: on });
      const j = names.indexOf(word);
      if (j >= 0) reqMask.set(j, true);
    }
    i += 2;
  }

  const r = c.nl.set('FEATURES_SET', c.devname, { wanted: { verbose: bits } }, { compact: true });
  let nothingChanged = false;
  let shown = false;
  const changes: Record<string, JsonValue> = {};
  let mismatch = false;
  for (const reply of replies(c, r)) {
    if (reply.message !== 'FEATURES_SET_REPLY') {
      c.out.err(`warning: unexpected reply message type ${reply.cmd}\n`);
      continue;
    }
    const dev = replyDev(reply);
    if (dev !== c.devname) {
      c.out.err(`warning: unexpected message for device ${dev}\n`);
      continue;
    }
    const d = featureChanges(c, reply.attrs, names, reqMask, changes);
    if (d === null) continue;
    shown = true;
    nothingChanged = d.nothingChanged;
    mismatch ||= d.diff;
  }
  reportAck(c, r);
  if (nothingChanged) {
    c.out.err('Could not change any device features\n');
    return c.st.exitCode || 1;
  }
  if (!r.ok) return c.st.exitCode || 92;
  if (shown || r.replies.length === 0) c.out.object({ ifname: c.devname, changes, mismatch });
  return 0;
}

/**
 * show_feature_changes: what the kernel did differently from the request. Prints "Actual
 * changes:" and one line per feature whose wanted or active mask bit is set; null when the
 * reply is malformed (after ethtool's message).
 */
function featureChanges(c: NlCtx, a: Attrs, names: readonly string[], req: Bitset, json: Record<string, JsonValue>): { nothingChanged: boolean; diff: boolean } | null {
  const { wanted, active } = a;
  const count = names.length;
  if (!(wanted instanceof Bitset) || !(active instanceof Bitset) || wanted.size !== count || active.size !== count || !wanted.mask || !active.mask) {
    c.out.err('malformed diff info from kernel\n');
    return null;
  }
  const words = Math.ceil(count / 32);
  const reqWords = req.value;
  let nothingChanged = true;
  let diff = false;
  for (let w = 0; w < words; w++) {
    if (wanted.mask[w] !== reqWords[w]) nothingChanged = false;
    if (wanted.mask[w] || (active.mask[w] & ~reqWords[w])) diff = true;
  }
  if (!diff) return { nothingChanged, diff };
  let text = 'Actual changes:\n';
  for (let i = 0; i < count; i++) {
    const name = names[i] ?? '';
    const wm = wanted.inMask(i);
    if (!wm && !active.inMask(i)) continue;
    if (wm) {
      const v = wanted.test(i);
      text += `${name}: ${v ? 'off' : 'on'} [requested ${v ? 'on' : 'off'}]\n`;
      json[name] = { active: !v, requested: v };
    } else if (!req.test(i)) {
      text += `${name}: ${active.test(i) ? 'on' : 'off'} [not requested]\n`;
      json[name] = { active: active.test(i), requested: null };
    } else {
      text += `${name}: ${active.test(i) ? 'on' : 'off'}\n`;
      json[name] = { active: active.test(i), requested: active.test(i) };
    }
  }
  c.out.print(text);
  return { nothingChanged, diff };
}
