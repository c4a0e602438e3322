/**
 * ethkit's command line: ethtool's grammar and its ioctl path's behaviour (messages, exit
 * codes, output bytes), plus --json on every command and the --top / --profile* front ends.
 *
 * `run(argv, {transport, stdout, stderr})` is the whole program minus process plumbing, so
 * tests drive it in-process with a simulated NIC.
 */
import type { Transport } from '../ffi/transport';
import type { HostFs } from '../profiles/hostfs';
import { Out, Sink } from './out';
import { OPTIONS, OptionRow, REASON, findOption } from './options';
import { Dev } from './dev';
import { strtoint } from './parse';

export interface RunOptions {
  /** The device seam; default: the real SIOCETHTOOL transport, opened on first use. */
  transport?: Transport | (() => Transport);
  stdout?: Sink;
  stderr?: Sink;
  /** Line-buffer stdout (as stdio does on a terminal). Default: block-buffered. */
  stdoutIsTTY?: boolean;
  /**
   * The host filesystem (/proc, /sys) the profile commands read and write. With `transport`
   * given and no `hostFs` they get an empty in-memory one, never the machine's.
   */
  hostFs?: HostFs;
  /** Directory standing in for /sys/class/net (--top). */
  sysfsNet?: string;
  /** Environment variables the front ends read (ETHKIT_STATE_DIR, …). Default: process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * What run() hands a front end (--top, --profile*): its output sinks and, when run() was given
 * them, the device and host seams it must use instead of the machine's.
 */
export interface FrontEndIo {
  stdout: Sink;
  stderr: Sink;
  /** The process's own terminal may be used (live view, confirmation questions). */
  terminal: boolean;
  transport?: Transport;
  hostFs?: HostFs;
  sysfsNet?: string;
  env: Record<string, string | undefined>;
}

/** What a command handler gets. */
export interface Ctx {
  /** The option as typed ("" for the default settings page). */
  readonly opt: string;
  readonly devname: string;
  /** Arguments after the device name. */
  readonly args: readonly string[];
  readonly out: Out;
  readonly json: boolean;
  readonly dev: Dev;
}

export type Handler = (ctx: Ctx) => number | Promise<number>;

/** Thrown when the control socket cannot be opened (ethtool: exit 70). */
class ControlSocketError extends Error {
  constructor(readonly errno: number) { super('control socket'); }
}

export const BAD_ARGS = 'ethtool: bad command line argument(s)\nFor more information run ethtool -h\n';

/** ethtool's answer to anything it cannot parse: two lines on stderr, exit 1. */
export function badArgs(out: Out): number {
  out.error('bad command line argument(s)', BAD_ARGS);
  return 1;
}

/** Handler modules, loaded only when their command runs. */
const MODULES: Record<string, () => Record<string, Handler>> = {
  settings: () => require('./cmd/settings'),
  params: () => require('./cmd/params'),
  features: () => require('./cmd/features'),
  misc: () => require('./cmd/misc'),
  stats: () => require('./cmd/stats'),
  test: () => require('./cmd/test'),
  dump: () => require('./cmd/dump'),
  fec: () => require('./cmd/fec'),
  help: () => require('./cmd/help'),
};

/** Top-level flags owned by other front ends: flag → [module path, description]. */
function frontEnd(arg: string): 'tui' | 'profiles' | null {
  if (arg === '--top') return 'tui';
  if (arg.startsWith('--profile') || arg === '--plan' || arg === '--apply' || arg === '--verify' || arg === '--rollback') return 'profiles';
  return null;
}

function fdSink(fd: number): Sink {
  // Loaded here, not at the top: tests that pass their own sinks never need it.
  const fs = require('node:fs') as typeof import('node:fs');
  return {
    write(chunk: string | Uint8Array): void {
      let b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      while (b.length > 0) {
        try {
          const n = fs.writeSync(fd, b);
          b = b.subarray(n);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') continue;
          if (code === 'EPIPE') return;
          throw e;
        }
      }
    },
  };
}

/**
 * isatty(fd) without loading node:tty (which pulls in net and streams, ~2 ms): a character
 * device with a terminal major number (4 tty, 5 console/ptmx, 136-143 pts).
 */
function isTerminal(fd: number): boolean {
  try {
    const st = (require('node:fs') as typeof import('node:fs')).fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    const major = (st.rdev >> 8) & 0xfff;
    return major === 4 || major === 5 || (major >= 136 && major <= 143);
  } catch {
    return false;
  }
}

export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? fdSink(1);
  const stderr = opts.stderr ?? fdSink(2);

  // 1. Global flags, only before the command, any order, repeatable.
  let i = 0;
  let json = false;
  let badFlag = false;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '-I' || a === '--include-statistics') continue;
    else if (a === '--debug') {
      const mask = argv[i + 1];
      // ethtool checks only that strtoul consumed the whole mask (an overflow is fine).
      if (mask === undefined || mask === '' || strtoint(mask, 0, true, true) === null) { badFlag = true; break; }
      i++;
    } else break;
  }
  const out = new Out(stdout, stderr, json, opts.stdoutIsTTY ?? (opts.stdout ? false : isTerminal(1)));
  if (badFlag) return out.finish(badArgs(out));

  let transport: Transport | null = null;
  const getTransport = (): Transport => {
    if (transport) return transport;
    if (typeof opts.transport === 'function') transport = opts.transport();
    else if (opts.transport) transport = opts.transport;
    else {
      try {
        const { KoffiTransport } = require('../ffi/koffi') as typeof import('../ffi/koffi');
        transport = new KoffiTransport();
      } catch (e) {
        const errno = (e as { errno?: unknown }).errno;
        throw new ControlSocketError(typeof errno === 'number' ? errno : 0);
      }
    }
    return transport;
  };

  try {
    // Front ends get the same sinks and, when the caller gave them, the same seams.
    const frontEndIo = (): FrontEndIo => ({
      stdout, stderr, terminal: !opts.stdout && !opts.stderr,
      transport: opts.transport ? getTransport() : undefined,
      hostFs: opts.hostFs, sysfsNet: opts.sysfsNet, env: opts.env ?? process.env,
    });
    return out.finish(await dispatch(argv, i, out, json, getTransport, frontEndIo));
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

async function dispatch(argv: readonly string[], i: number, out: Out, json: boolean, getTransport: () => Transport, frontEndIo: () => FrontEndIo): Promise<number> {
  // 2. --monitor needs netlink.
  if (argv[i] === '--monitor') {
    out.error('option --monitor not supported', 'Netlink interface initialization failed, option --monitor not supported.\n');
    return 1;
  }
  // 3. Nothing left.
  if (i >= argv.length) return badArgs(out);

  // Front ends of their own: full argument list goes to their main().
  const fe = frontEnd(argv[i]);
  if (fe) return runFrontEnd(fe, argv, out, frontEndIo());

  // 4. The option (or a device name for the settings page).
  let row: OptionRow | undefined = findOption(argv[i]);
  const opt = row ? argv[i] : '';
  if (row) i++;
  else if (argv[i].startsWith('-')) return badArgs(out);
  else row = OPTIONS[0];

  // 5. Device name, taken literally.
  let devname = '';
  if (!row.noDevice) {
    if (i >= argv.length) return badArgs(out);
    devname = argv[i++];
  }
  const args = argv.slice(i);

  // 7. Device-name checks, before any argument parsing or ioctl.
  if (!row.noDevice) {
    const len = Buffer.byteLength(devname);
    if (len >= 128) {
      out.error(`device name longer than 127 characters`, `device name '${devname}' longer than 127 characters\n`);
      return 1;
    }
    if (row.netlinkOnly) {
      out.error('subcommand not supported by ioctl', 'netlink interface initialization failed, subcommand not supported by ioctl\n');
      return 1;
    }
    const reason = REASON[row.nl === 'ioctl-only' && args.length > 0 ? 'nlfail' : row.nl];
    if (devname === '*') {
      out.error('wildcard dump not supported', `${reason}, wildcard dump not supported\n`);
      return 1;
    }
    if (len >= 16) {
      out.error('device name longer than 15 not supported', `${reason}, device name longer than 15 not supported\n`);
      return 1;
    }
  }

  if (row.noArgs && args.length > 0) return badArgs(out);
  if (!row.handler) {
    const what = opt || 'this command';
    out.error(`${what} is not implemented by ethkit`, `ethkit: ${what} is not implemented (ethtool's ioctl path has it; ethkit does not yet)\n`);
    return 1;
  }

  const [mod, fn] = row.handler.split(':');
  const handler = MODULES[mod]()[fn];
  const ctx: Ctx = { opt, devname, args, out, json, dev: new Dev(devname, getTransport) };
  return handler(ctx);
}

async function runFrontEnd(which: 'tui' | 'profiles', argv: readonly string[], out: Out, io: FrontEndIo): Promise<number> {
  const entry = which === 'tui' ? '../tui/index' : '../profiles/cli';
  let mod: { main?: (argv: string[], io?: FrontEndIo) => Promise<number> };
  try {
    mod = require(entry);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'MODULE_NOT_FOUND' && err.message.includes(entry.slice(3))) {
      const msg = `ethkit: ${which === 'tui' ? '--top' : 'profile commands'} not available: this build has no src/${entry.slice(3)}.ts`;
      out.error(msg, msg + '\n');
      return 1;
    }
    throw e;
  }
  if (typeof mod.main !== 'function') {
    const msg = `ethkit: src/${entry.slice(3)}.ts does not export main(argv)`;
    out.error(msg, msg + '\n');
    return 1;
  }
  out.detach();
  return mod.main([...argv], io);
}
