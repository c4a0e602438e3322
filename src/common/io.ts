/**
 * What the program shell hands every front end: its output sinks and, in tests, the device and
 * host seams to use instead of the machine's; and the process's own sinks (blocking writes on
 * the file descriptors, so output is never lost at exit).
 */
import type { Transport } from '../ethtool/transport';
import type { HostFs } from './hostfs';

/** Where bytes go: process fds in the binary, collectors in tests. */
export interface Sink {
  write(chunk: string | Uint8Array): void;
  /**
   * The descriptor behind it is open for reading too (O_RDWR, as a terminal usually is). stdio
   * behaves differently then (see Out.perror); absent or false: write-only, as a pipe.
   */
  readonly readable?: boolean;
}

export interface FrontEndIo {
  stdout: Sink;
  stderr: Sink;
  /** The process's own terminal may be used (live view, confirmation questions). */
  terminal: boolean;
  /** The device seam to use instead of the machine's SIOCETHTOOL socket. */
  transport?: Transport;
  /** The host filesystem (/proc, /sys) to use instead of the machine's. */
  hostFs?: HostFs;
  /** Directory standing in for /sys/class/net (--top). */
  sysfsNet?: string;
  /** Environment variables the front ends read (ETHKIT_STATE_DIR, …). */
  env: Record<string, string | undefined>;
  /**
   * `transport` and `hostFs` are the machine's own, lent for one command (a --batch line):
   * the rest of the machine (netlink probes) goes with them.
   */
  machine?: boolean;
}

/** A front end's entry: the whole command line in, the exit status out. */
export type FrontEndMain = (argv: string[], io?: FrontEndIo) => Promise<number>;

/** A sink on a file descriptor: synchronous, whole writes; EPIPE ends output quietly. */
export function fdSink(fd: number): Sink {
  // Loaded here, not at the top: tests that pass their own sinks never need it.
  const fs = require('node:fs') as typeof import('node:fs');
  let readable: boolean | undefined;
  return {
    get readable(): boolean { return (readable ??= openForReading(fd)); },
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

/** Whether `fd` was opened O_RDWR (its access mode, from /proc/self/fdinfo). */
function openForReading(fd: number): boolean {
  try {
    const info = (require('node:fs') as typeof import('node:fs')).readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    const m = /^flags:\s*([0-7]+)/m.exec(info);
    return m !== null && (parseInt(m[1], 8) & 3) === 2;
  } catch {
    return false;
  }
}

/**
 * isatty(fd) without loading node:tty (which pulls in net and streams, ~2 ms): a character
 * device with a terminal major number (4 tty, 5 console/ptmx, 136-143 pts).
 */
export function isTerminal(fd: number): boolean {
  try {
    const st = (require('node:fs') as typeof import('node:fs')).fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    const major = (st.rdev >> 8) & 0xfff;
    return major === 4 || major === 5 || (major >= 136 && major <= 143);
  } catch {
    return false;
  }
}

/**
 * Reads at most `max` bytes from `fd`, blocking until it has them or input ends, in chunks (an
 * endless input such as /dev/zero is read only as far as asked); `keep` false counts the bytes
 * without keeping them. A descriptor that cannot be read (closed) gives nothing.
 */
export function fdReader(fd: number): (max: number, keep?: boolean) => { data: Uint8Array; n: number } {
  return (max, keep = true) => {
    const fs = require('node:fs') as typeof import('node:fs');
    const chunks: Buffer[] = [];
    const chunk = Buffer.alloc(Math.min(Math.max(max, 1), 1 << 16));
    let n = 0;
    while (n < max) {
      let got: number;
      try {
        got = fs.readSync(fd, chunk, 0, Math.min(chunk.length, max - n), null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        break;
      }
      if (got <= 0) break;
      if (keep) chunks.push(Buffer.from(chunk.subarray(0, got)));
      n += got;
    }
    return { data: keep ? Buffer.concat(chunks) : new Uint8Array(0), n };
  };
}

/** A reader over bytes given in advance (tests, the rig's in-process runs). */
export function bytesReader(bytes: Uint8Array): (max: number, keep?: boolean) => { data: Uint8Array; n: number } {
  let at = 0;
  return (max, keep = true) => {
    const n = Math.min(max, bytes.length - at);
    const data = keep ? bytes.slice(at, at + n) : new Uint8Array(0);
    at += n;
    return { data, n };
  };
}
