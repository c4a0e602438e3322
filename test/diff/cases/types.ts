/**
 * Case tables are plain data: one row per command line,
 *
 *     [command line, ethtool's exit status, options?]
 *
 * The command line is split on single spaces; the token '' stands for an empty argument, and
 * an array gives the arguments verbatim (for arguments with spaces). The exit status is what
 * ethtool 6.1 on its ioctl path returns for the line on this suite's devices: the runner
 * checks it, so a row that no longer describes ethtool's behaviour fails as a table error.
 * Every row runs on both of ethtool's paths (columns): the ioctl path (ethtool and ethkit under
 * the shim that fails netlink sockets) and the default netlink path.
 *
 * Devices: eth0 (host, read-only commands only), va/vb (veth pair), tp0 (tap), tn0 (tun) in
 * the suite's namespaces; any other name does not exist.
 */
export interface RowOptions {
  /**
   * Set commands: the show command whose output (the device state) is compared afterwards;
   * default: the family's own show command on the same device. null: none.
   */
  readonly show?: string | readonly string[] | null;
  /** ethtool command lines run first, in both namespaces (must succeed identically). */
  readonly setup?: readonly (string | readonly string[])[];
  /**
   * 'counters': live counters (eth0 -S); values may move between the runs.
   * 'help': ethkit's usage text is its own; see normalizeHelp in ../harness.ts.
   */
  readonly mode?: 'counters' | 'help';
  /** ethtool's first stderr line must contain this (a check of the table itself). */
  readonly err?: string;
  /** ethtool's stdout must contain this (a check of the table itself). */
  readonly out?: string;
  /**
   * The paths the row runs on (default both): a command line only netlink has, or one whose
   * netlink answer depends on the kernel version, names one.
   */
  readonly columns?: readonly ('ioctl' | 'netlink')[];
  /** ethtool's exit status on its netlink path, where the row checks it (the second number is the ioctl path's). */
  readonly nlExit?: number;
  /** Netlink path: ethtool's first stderr line must contain this. */
  readonly nlErr?: string;
}

export type Row = readonly [cmd: string | readonly string[], exit: number, opts?: RowOptions];

export interface Table {
  /** Command family, e.g. "-C" or "settings". */
  readonly family: string;
  readonly rows: readonly Row[];
}
