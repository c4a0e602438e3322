/** What an ethtool command handler gets, and ethtool's answer to a command line it cannot parse. */
import type { Out } from './out';
import type { Dev } from './dev';

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
}

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
