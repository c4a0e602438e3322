/**
 * The program: ethtool's global flags, then one front end — the ethtool command line, the live
 * view (--top) or the tuning profiles (--plan, --apply …) — with the process's sinks and, on
 * first use, the machine's SIOCETHTOOL transport.
 *
 * `run(argv, {transport, stdout, stderr, …})` is the whole program minus process plumbing, so
 * tests drive it in-process with a simulated NIC.
 */
import type { Transport } from '../ethtool/transport';
import { openTransport } from '../ethtool/transport';
import { FrontEndIo, FrontEndMain, Sink, bytesReader, fdReader, fdSink, isTerminal } from '../common/io';
import type { HostFs } from '../common/hostfs';
import { strtoint } from '../common/numbers';
import { Out } from '../cli/out';
import { badArgs } from '../cli/ctx';
import { runEthtool, openNetlink, NetlinkOpener, EthtoolIo } from '../cli/run';

export interface RunOptions {
  /** The device seam; default: the real SIOCETHTOOL transport, opened on first use. */
  transport?: Transport | (() => Transport);
  stdout?: Sink;
  stderr?: Sink;
  /** Line-buffer stdout (as stdio does on a terminal). Default: block-buffered. */
  stdoutIsTTY?: boolean;
  /**
   * The host filesystem (/proc, /sys) the profile commands read and write. With `transport`
   * given and no `hostFs` they get a host without any, never the machine's.
   */
  hostFs?: HostFs;
  /** Directory standing in for /sys/class/net (--top). */
  sysfsNet?: string;
  /** Environment variables the front ends read (ETHKIT_STATE_DIR, …). Default: process.env. */
  env?: Record<string, string | undefined>;
  /**
   * ethtool's netlink context. Default: the machine's, unless `transport` is given (a simulated
   * device is never paired with the machine's netlink): then none, so commands take the ioctl.
   */
  netlink?: NetlinkOpener;
  /** Stands in for the process's stdin (--batch -). */
  stdin?: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** Done with a context `netlink` gave (default: close it); see EthtoolIo.releaseNetlink. */
  releaseNetlink?: EthtoolIo['releaseNetlink'];
  /**
   * The given transport and hostFs are the machine's own (--batch lends them to each line), so
   * the front ends may use the rest of the machine too (netlink capability probes).
   */
  machine?: boolean;
  /** Standard input: bytes given in advance. Default: the process's fd 0, unless `stdout` is given (then none). */
  stdinBytes?: Uint8Array;
}

/** The front ends other than the ethtool command line, by their first argument; each loaded only when it runs. */
const FRONT_ENDS: readonly { match: (arg: string) => boolean; main: () => FrontEndMain }[] = [
  { match: a => a === '--top', main: () => (require('../tui/index') as typeof import('../tui/index')).main },
  {
    match: a => a.startsWith('--persist') || a === '--unpersist',
    main: () => (require('../profiles/persist-cli') as typeof import('../profiles/persist-cli')).main,
  },
  {
    match: a => a.startsWith('--profile') || a === '--plan' || a === '--apply' || a === '--verify' || a === '--rollback',
    main: () => (require('../profiles/cli') as typeof import('../profiles/cli')).main,
  },
  { match: a => a === '--exporter', main: exporterMain },
];

/** The exporter, lent the profile commands' drift check (front ends do not import each other). */
function exporterMain(): FrontEndMain {
  const { main } = require('../export/index') as typeof import('../export/index');
  return (argv, io) => main(argv, io, {
    drift: o => {
      const { DriftChecker } = require('../profiles/drift') as typeof import('../profiles/drift');
      const checker = new DriftChecker({ transport: o.transport, fs: o.fs, stateDir: o.stateDir, profileDir: o.profileDir, probe: o.fs ? null : undefined });
      return dev => checker.check(dev);
    },
  });
}

/** Thrown when the control socket cannot be opened (ethtool: exit 70). */
class ControlSocketError extends Error {
  constructor(readonly errno: number) { super('control socket'); }
}

export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? fdSink(1);
  const stderr = opts.stderr ?? fdSink(2);

  // Global flags, only before the command, any order, repeatable.
  let i = 0;
  let json = false;
  let includeStats = false;
  let badFlag = false;
  let debug = 0n;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '-I' || a === '--include-statistics') includeStats = true;
    else if (a === '--debug') {
      const mask = argv[i + 1];
      // ethtool checks only that strtoul consumed the whole mask (an overflow is fine).
      const m = mask === undefined || mask === '' ? null : strtoint(mask, 0, true, true);
      if (m === null) { badFlag = true; break; }
      debug = m;
      i++;
    } else break;
  }
  const out = new Out(stdout, stderr, json, opts.stdoutIsTTY ?? (opts.stdout ? false : isTerminal(1)));
  if (badFlag) return out.finish(badArgs(out));

  let transport: Transport | null = null;
  const getTransport = (): Transport => {
    if (transport) return transport;
    if (opts.transport && typeof opts.transport !== 'function') return (transport = opts.transport);
    try {
      transport = typeof opts.transport === 'function' ? opts.transport() : openTransport();
    } catch (e) {
      const errno = (e as { errno?: unknown }).errno;
      // An injected opener's own failure stays what it is; a socket that cannot be had is ethtool's exit 70.
      if (typeof opts.transport === 'function' && typeof errno !== 'number') throw e;
      throw new ControlSocketError(typeof errno === 'number' ? errno : 0);
    }
    return transport;
  };

  try {
    if (argv[i] === '--batch') {
      // Loaded only for a batch; it runs each of its lines through run() again.
      const { runBatch } = require('./batch') as typeof import('./batch');
      out.detach();
      return await runBatch(argv, i, {
        stdout, stderr, env: opts.env ?? process.env,
        stdoutIsTTY: opts.stdoutIsTTY ?? (opts.stdout ? false : isTerminal(1)),
        runLine: run, transport: opts.transport, netlink: opts.netlink, hostFs: opts.hostFs, stdin: opts.stdin,
      });
    }
    const fe = i < argv.length ? FRONT_ENDS.find(f => f.match(argv[i])) : undefined;
    if (fe) {
      // Front ends get the same sinks and, when the caller gave them, the same seams.
      const io: FrontEndIo = {
        stdout, stderr, terminal: !opts.stdout && !opts.stderr,
        transport: opts.transport ? getTransport() : undefined,
        hostFs: opts.hostFs, sysfsNet: opts.sysfsNet, env: opts.env ?? process.env, machine: opts.machine,
      };
      const main = fe.main();
      out.detach();
      return await main([...argv], io);
    }
    const netlink = opts.netlink ?? (opts.transport ? () => null : openNetlink);
    const given = opts.stdinBytes;
    const stdin = given ? bytesReader(given) : opts.stdout ? bytesReader(new Uint8Array(0)) : fdReader(0);
    return out.finish(await runEthtool(argv, i, { out, json, includeStats, debug, transport: getTransport, netlink, releaseNetlink: opts.releaseNetlink, stdin }));
  } catch (e) {
    if (e instanceof ControlSocketError) {
      out.perror('Cannot get control socket', e.errno);
      return out.finish(70);
    }
    throw e;
  } finally {
    // The real transport only: an injected one belongs to the caller.
    if (transport && !opts.transport) (transport as Transport).close();
  }
}
