/**
 * What a netlink command handler works with, and ethtool's common moves: the check that the
 * kernel has the message (and what falling back to the ioctl then means), a GET for one device
 * or a dump of all ("*"), a SET answered by an ack, and ethtool's error lines for a failed one.
 *
 * A handler returns ethtool's exit status, or NL_FALLBACK to have the ioctl command run instead
 * (only where ethtool 6.1 falls back: the kernel does not list the message).
 */
import type { Reply, Result, HeaderOptions } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import type { UserMessage } from '../../ethtool/netlink/catalog';
import { ethtoolErrorLines } from '../../ethtool/netlink/message';

export { NL_FALLBACK, ALTIFNAMSIZ, WILDCARD, NlState } from '../ctx';
export type { NlCtx, NlHandler } from '../ctx';
import { WILDCARD } from '../ctx';
import type { NlCtx } from '../ctx';

export function isDump(c: NlCtx): boolean {
  return c.devname === WILDCARD;
}

/**
 * netlink_cmd_check: true when the command cannot go on over netlink — the kernel does not list
 * the message (fall back to the ioctl), or lists it without the do/dump this needs.
 */
export function cmdCheck(c: NlCtx, msg: UserMessage, allowWildcard: boolean): boolean {
  const dump = isDump(c);
  if (dump && !allowWildcard) {
    c.st.wildcardUnsupported = true;
    return true;
  }
  if (!c.nl.has(msg, 'do') && !c.nl.has(msg, 'dump')) {
    c.st.ioctlFallback = true;
    return true;
  }
  if (dump && !c.nl.has(msg, 'dump')) c.st.wildcardUnsupported = true;
  return !c.nl.has(msg, dump ? 'dump' : 'do');
}

/** The device a reply is about (get_dev_name). */
export function replyDev(r: Reply): string {
  const h = r.attrs.header as Attrs | undefined;
  return typeof h?.dev_name === 'string' ? h.dev_name : '(none)';
}

/** dev_ok: the reply is for the device --monitor was told to show (or any device). */
export function devOk(c: NlCtx, dev: string): boolean {
  return c.st.filterDev === null || dev === c.st.filterDev;
}

/** Print ethtool's lines for a failed (or warned-about) request on stderr. */
export function reportAck(c: NlCtx, r: Result): void {
  c.st.trace?.flush();
  if (r.ok) {
    if (r.warning) for (const l of ethtoolErrorLines({ error: 0, extack: r.warning }, c.st.suppress)) c.out.err(l + '\n');
    return;
  }
  if (r.source === 'socket') return;
  for (const l of ethtoolErrorLines({ error: -r.errno, extack: r.extack }, c.st.suppress)) c.out.err(l + '\n');
}

/**
 * A callback over the replies, in order. It returns false where ethtool's callback answers
 * MNL_CB_ERROR: the rest is not processed and the command fails.
 */
export type ReplyCb = (r: Reply) => boolean;

/**
 * nlsock_prep_get_request + nlsock_send_get_request: a GET for the command's device (a dump
 * for "*"), each reply handed to `cb`; ethtool's lines on failure. The exit status.
 */
export function getRequest(c: NlCtx, msg: UserMessage, cb: ReplyCb, hdr: HeaderOptions = {}, attrs: Attrs = {}): number {
  const r = isDump(c) ? c.nl.dump(msg, attrs, hdr) : c.nl.get(msg, c.devname, attrs, hdr);
  return processReplies(c, r, cb);
}

/** An answer's replies in order, each after the datagrams --debug shows before it. */
export function* replies<T>(c: NlCtx, r: { readonly replies: readonly T[] }): Generator<T> {
  try {
    for (let i = 0; i < r.replies.length; i++) {
      c.st.trace?.beforeReply(i);
      yield r.replies[i];
    }
  } finally {
    c.st.trace?.endAnswer();
  }
}

/** The status of an answer whose replies go to `cb` (a failed callback or request: exitCode, else 1). */
export function processReplies(c: NlCtx, r: Result, cb: ReplyCb): number {
  for (const reply of replies(c, r)) if (!cb(reply)) return c.st.exitCode || 1;
  // ethtool's libmnl stops at a dump's NLMSG_DONE without looking at an error code in it.
  if (!r.ok && r.done) return 0;
  reportAck(c, r);
  return r.ok ? 0 : c.st.exitCode || 1;
}

/** A SET (or ACT) for the command's device, answered by an ack: 0, or exitCode / `failed`. */
export function setRequest(c: NlCtx, msg: UserMessage, attrs: Attrs, failed: number, hdr: HeaderOptions = {}): number {
  const r = c.nl.set(msg, c.devname, attrs, hdr);
  reportAck(c, r);
  return r.ok ? 0 : c.st.exitCode || failed;
}

/** ethtool's answer to arguments after a show command: one line, exit 1. */
export function unexpectedParam(c: NlCtx): number | null {
  if (c.args.length === 0) return null;
  c.out.err(`ethtool: unexpected parameter '${c.args[0]}'\n`);
  c.out.fail(`unexpected parameter '${c.args[0]}'`);
  return 1;
}
