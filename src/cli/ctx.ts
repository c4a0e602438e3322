/**
 * What an ethtool command handler gets (on the ioctl path, and on the netlink path: NlCtx), and
 * ethtool's answer to a command line it cannot parse. Kept free of netlink code: the command
 * table and the dispatcher load it for every command.
 */
import type { Out } from './out';
import type { Dev } from './dev';
import type { EthtoolNetlink } from '../ethtool/netlink/client';
import type { Printer } from './nl/print';
import type { DebugTrace } from './nl/debug';
import { ERRNO } from '../ethtool/errno';

export interface Ctx {
  /** The option as typed ("" for the default settings page). */
  readonly opt: string;
  readonly devname: string;
  /** Arguments after the device name. */
  readonly args: readonly string[];
  readonly out: Out;
  readonly json: boolean;
  /** -I / --include-statistics was given (a global flag). */
  readonly includeStats?: boolean;
  readonly dev: Dev;
  /** The command table (for -h). */
  readonly options: readonly CommandInfo[];
  /** Standard input (-E without a value reads the bytes to write there). */
  readonly stdin?: StdinReader;
}

/**
 * Reads at most `max` bytes of standard input, blocking until it has them or input ends (as
 * stdio's fread does); `keep` false: count them without keeping them. Fewer than `max`: input
 * ended (or cannot be read).
 */
export type StdinReader = (max: number, keep?: boolean) => { data: Uint8Array; n: number };

/** What -h says of a command. */
export interface CommandInfo {
  /** Every spelling, matched exactly and case-sensitively. */
  readonly names: readonly string[];
  /** No device name; further arguments ignored (-h, --version). */
  readonly noDevice?: boolean;
  /** A one-line description, and argument synopsis lines. */
  readonly help: string;
  readonly synopsis?: readonly string[];
  /** ethkit has it. */
  readonly implemented: boolean;
}

export type Handler = (ctx: Ctx) => number | Promise<number>;

export const BAD_ARGS = 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n';

/** ethtool's answer to anything it cannot parse: two lines on stderr, exit 1. */
export function badArgs(out: Out): number {
  out.error('bad command line argument(s)', BAD_ARGS);
  return 1;
}

// ---- the netlink path ------------------------------------------------------------------------

/** A handler's answer meaning "use the ioctl command" (ethtool's -EOPNOTSUPP with ioctl_fallback). */
export const NL_FALLBACK = -ERRNO.EOPNOTSUPP;

/** ethtool's ALTIFNAMSIZ: netlink takes device names of up to 127 bytes. */
export const ALTIFNAMSIZ = 128;
export const WILDCARD = '*';

export interface NlCtx extends Ctx {
  readonly nl: EthtoolNetlink;
  readonly p: Printer;
  /** State ethtool keeps in its nl_context. */
  readonly st: NlState;
}

export class NlState {
  /** The last check found a dump the message cannot do. */
  wildcardUnsupported = false;
  /** The last check found the kernel without the message: the ioctl may be tried. */
  ioctlFallback = false;
  /** An exit status a reply callback set for the command to return. */
  exitCode = 0;
  /** 1: EOPNOTSUPP errors are not printed; 2: no errors are. */
  suppress: 0 | 1 | 2 = 0;
  /** Notifications rather than answers (--monitor). */
  isMonitor = false;
  /** --monitor DEV: only this device's messages. */
  filterDev: string | null = null;
  /** --debug 0x2: the netlink datagrams, printed in ethtool's order. */
  trace: DebugTrace | null = null;
}

export type NlHandler = (c: NlCtx) => number | Promise<number>;

