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
