/**
 * --show-priv-flags / --set-priv-flags over netlink (ethtool 6.1's netlink/privflags.c):
 * PRIVFLAGS_GET, whose flags bitset names its bits (a compact one, as in a notification, is
 * named from the device's ETH_SS_PRIV_FLAGS), and PRIVFLAGS_SET with NAME on|off … (or a
 * number[/mask]) sent for the kernel to look up.
 *
 * privflagsReply() prints one PRIVFLAGS_GET_REPLY or PRIVFLAGS_NTF (the monitor's too).
 */
import type { Reply } from '../../ethtool/netlink/client';
import { Bitset, isVerboseBitset } from '../../ethtool/netlink/bitset';
import type { JsonValue } from '../json';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, setRequest, unexpectedParam } from './cmd';
import { ArgState } from './parser';
import type { Attrs } from '../../ethtool/netlink/attrs';
import { bitsetNames } from './bitset-args';

export function privflagsReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c) || c.st.isMonitor;
  const flags = r.attrs.flags;
  if (!(flags instanceof Bitset)) return silent;
  const dev = replyDev(r);
  if (!devOk(c, dev)) return true;
  let strings: readonly string[] | undefined;
  if (flags.names === null) {
    try {
      strings = c.nl.bitNames('PRIVFLAGS_GET', 'flags', dev);
    } catch {
      return silent;
    }
  }
  const shown = flags.maskIndices().map(i => ({ name: flags.nameOf(i, strings) ?? `bit${i}`, on: flags.test(i) }));
  const w = Math.max(0, ...shown.map(f => f.name.length));
  let text = silent ? '\n' : '';
  text += `Private flags for ${dev}:\n` + shown.map(f => `${f.name.padEnd(w)}: ${f.on ? 'on' : 'off'}\n`).join('');
  c.p.text(text);
  if (c.json) {
    const o: Record<string, JsonValue> = {};
    for (const f of shown) o[f.name] = f.on;
    c.out.object({ ifname: dev, 'private-flags': o });
  }
  return true;
}

/** --show-priv-flags DEV: nl_gprivflags. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'PRIVFLAGS_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  return getRequest(c, 'PRIVFLAGS_GET', r => privflagsReply(c, r));
}

/** ethtool names no parameter in this command's messages (its nlctx->param is unset). */
const PARAM = '(null)';

const FLAGS = bitsetNames({ noMask: false });

/** --set-priv-flags DEV NAME on|off …: nl_sprivflags (the whole line is one bitset, nl_parse_bitset). */
export function set(c: NlCtx): number {
  if (cmdCheck(c, 'PRIVFLAGS_SET', false)) return NL_FALLBACK;
  const s = new ArgState(c, '--set-priv-flags', c.args);
  s.param = PARAM;
  const into: Attrs = {};
  if (!FLAGS(s, into, 'flags', {})) return 1;
  const code = setRequest(c, 'PRIVFLAGS_SET', into, 1);
  if (code === 0 && c.json) {
    const requested: Record<string, JsonValue> = {};
    const v = into.flags;
    if (isVerboseBitset(v)) for (const b of v.verbose) if (b.name !== undefined) requested[b.name] = b.value ?? true;
    c.out.object({ ifname: c.devname, 'private-flags': requested });
  }
  return code;
}
