/**
 * The ethtool front end: a command line after the global flags, in ethtool 6.1's grammar, on
 * the path ethtool takes for it — netlink where the command has a netlink version and the kernel
 * has the message, the ioctl otherwise, with ethtool's fallback rules and reasons — plus --json
 * on every command.
 */
import type { Transport } from '../ethtool/transport';
import type { EthtoolNetlink, OpenOptions } from '../ethtool/netlink/client';
import type { Out } from './out';
import { OPTIONS, OptionRow, findOption } from './options';
import { Dev } from './dev';
import { badArgs, Ctx, ALTIFNAMSIZ, NL_FALLBACK, NlState, StdinReader, WILDCARD } from './ctx';
import type { DebugTrace } from './nl/debug';

/** IFNAMSIZ: the ioctl takes device names of up to 15 bytes. */
const IFNAMSIZ = 16;

/** Opens ethtool's netlink context; null when it cannot be had (no socket, no family): the ioctl is used. */
export type NetlinkOpener = (opts?: OpenOptions) => EthtoolNetlink | null;

/** The real one: a generic netlink socket and the ethtool family, or null. */
export function openNetlink(opts: OpenOptions = {}): EthtoolNetlink | null {
  try {
    const { EthtoolNetlink } = require('../ethtool/netlink/client') as typeof import('../ethtool/netlink/client');
    return EthtoolNetlink.open(opts);
  } catch {
    return null;
  }
}

export interface EthtoolIo {
  out: Out;
  json: boolean;
  /** -I / --include-statistics. */
  includeStats?: boolean;
  /** The --debug mask. */
  debug?: bigint;
  transport: () => Transport;
  netlink: NetlinkOpener;
  /**
   * Done with a context `netlink` gave: default close it. A caller that lends one context to
   * many commands (--batch) keeps it open.
   */
  releaseNetlink?: (nl: EthtoolNetlink) => void;
  /** Standard input; default: none (as if closed). */
  stdin?: StdinReader;
}

/**
 * Run `argv[i..]` (the global flags before `i` are the caller's): the exit status. The
 * transport and the netlink context are opened on first use.
 */
export async function runEthtool(argv: readonly string[], i: number, io: EthtoolIo): Promise<number> {
  const { out, json } = io;
  const release = io.releaseNetlink ?? ((nl: EthtoolNetlink) => nl.close());
  // --debug 0x2: every netlink datagram summarized on stdout, as ethtool does.
  let trace: DebugTrace | null = null;
  const openNl = (): EthtoolNetlink | null => {
    if (io.debug === undefined || ((io.debug >> 1n) & 1n) === 0n) return io.netlink();
    const { DebugTrace } = require('./nl/debug') as typeof import('./nl/debug');
    trace = new DebugTrace(out);
    const nl = io.netlink({ tracer: trace.tracer('genetlink'), routeTracer: trace.tracer('rtnetlink') });
    if (nl) trace.ethnlFamily = nl.family.id;
    return nl;
  };
  if (argv[i] === '--monitor') {
    const nl = openNl();
    if (!nl) {
      out.error('option --monitor not supported', 'Netlink interface initialization failed, option --monitor not supported.\n');
      return 1;
    }
    const { monitor } = require('./nl/monitor') as typeof import('./nl/monitor');
    try {
      return await monitor(argv.slice(i + 1), out, nl);
    } finally {
      (trace as DebugTrace | null)?.endAnswer();
      release(nl);
    }
  }
  if (i >= argv.length) return badArgs(out);

  // The option, or a device name for the settings page.
  let row: OptionRow | undefined = findOption(argv[i]);
  const opt = row ? argv[i] : '';
  if (row) i++;
  else if (argv[i].startsWith('-')) return badArgs(out);
  else row = OPTIONS[0];

  // The device name, taken literally.
  let devname = '';
  if (!row.noDevice) {
    if (i >= argv.length) return badArgs(out);
    devname = argv[i++];
  }
  const args = argv.slice(i);
  const ctx: Ctx = { opt, devname, args, out, json, includeStats: io.includeStats ?? false, dev: new Dev(devname, io.transport), options: OPTIONS, stdin: io.stdin };

  // netlink_run_handler: netlink if the command has it and the kernel does, else the reason why not.
  if (!row.noDevice) {
    let reason: string;
    const bytes = Buffer.byteLength(devname);
    if (row.nlchk && !row.nlchk(ctx)) reason = 'ioctl-only request';
    else if (bytes >= ALTIFNAMSIZ) {
      out.error(`device name longer than ${ALTIFNAMSIZ - 1} characters`, `device name '${devname}' longer than ${ALTIFNAMSIZ - 1} characters\n`);
      return 1;
    } else if (!row.nl) reason = 'ethtool netlink support for subcommand missing';
    else {
      const nl = openNl();
      if (!nl) reason = 'netlink interface initialization failed';
      else if (!row.implemented) {
        release(nl);
        return notImplemented(out, opt);
      } else {
        const st = new NlState();
        st.trace = trace;
        let ret: number;
        try {
          const { Printer } = require('./nl/print') as typeof import('./nl/print');
          ret = await row.nl({ ...ctx, nl, p: new Printer(out), st });
        } finally {
          (trace as DebugTrace | null)?.endAnswer();
          release(nl);
        }
        if (row.netlinkOnly || ret !== NL_FALLBACK || !st.ioctlFallback) {
          if (st.wildcardUnsupported) out.err('subcommand does not support wildcard dump\n');
          return ret >= 0 ? ret : 1;
        }
        reason = st.wildcardUnsupported ? 'subcommand does not support wildcard dump' : 'kernel netlink support for subcommand missing';
        out.resetDocument();
      }
    }
    if (row.netlinkOnly) {
      out.error(`${reason}, subcommand not supported by ioctl`, `${reason}, subcommand not supported by ioctl\n`);
      return 1;
    }
    if (devname === WILDCARD) {
      out.error(`${reason}, wildcard dump not supported`, `${reason}, wildcard dump not supported\n`);
      return 1;
    }
    if (bytes >= IFNAMSIZ) {
      out.error(`${reason}, device name longer than ${IFNAMSIZ - 1} not supported`, `${reason}, device name longer than ${IFNAMSIZ - 1} not supported\n`);
      return 1;
    }
  }

  if (row.noArgs && args.length > 0) return badArgs(out);
  if (!row.run) return notImplemented(out, opt);
  return row.run(ctx);
}

function notImplemented(out: Out, opt: string): number {
  const what = opt || 'this command';
  out.error(`${what} is not implemented by ethkit`, `ethkit: ${what} is not implemented (ethtool 6.1 has it; ethkit does not yet)\n`);
  return 1;
}
