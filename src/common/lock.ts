/**
 * One writer at a time: an exclusive flock(2) on a file of the state directory, held from
 * before a snapshot is taken until the undo record is final. The kernel releases it when the
 * process ends, however it ends (kill -9 included), so there is never a stale lock to clean.
 * A second writer polls until a deadline (or not at all) and then names the holder's pid,
 * read from /proc/locks (or, failing that, from the pid the holder wrote into the file).
 *
 * The only module outside the ethtool layer's transport seam that reaches into src/ffi/:
 * Node has no flock, and the lock must be the kernel's for a kill -9 to release it.
 */
import fs from 'node:fs';
import { flock, LOCK_EX, LOCK_NB, LOCK_UN } from '../ffi/flock';

const EWOULDBLOCK = 11;
const EINTR = 4;

export interface Lock {
  readonly file: string;
  release(): void;
}

/** The lock is held by another process and the wait is over. */
export class LockBusyError extends Error {
  constructor(readonly file: string, readonly holder: number | null, readonly waitedMs: number) {
    super(`${file} is locked by ${holder === null ? 'another process' : `pid ${holder}`}`);
    this.name = 'LockBusyError';
  }
}

/** The lock file cannot be opened or locked (EROFS, EACCES …): `code` is the errno name. */
export class LockFileError extends Error {
  constructor(readonly file: string, readonly code: string, message: string) {
    super(message);
    this.name = 'LockFileError';
  }
}

/** The pid holding a flock on the file open as `fd`, from /proc/locks (null when not listed). */
export function lockHolder(fd: number): number | null {
  let st: fs.Stats;
  let text: string;
  try { st = fs.fstatSync(fd); text = fs.readFileSync('/proc/locks', 'latin1'); } catch { return null; }
  for (const line of text.split('\n')) {
    // "1: FLOCK  ADVISORY  WRITE 1234 fe:01:5678 0 EOF" (waiters have "->" after the number)
    const m = /^\d+:\s+FLOCK\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)\s/.exec(line);
    if (m && Number(m[2]) === st.ino) return Number(m[1]);
  }
  return null;
}

function holderOf(fd: number): number | null {
  const listed = lockHolder(fd);
  if (listed !== null) return listed;
  try {
    const buf = Buffer.alloc(32);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const pid = Number(buf.subarray(0, n).toString('latin1').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch { return null; }
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

/**
 * Take the exclusive lock on `file` (created if missing), waiting up to `waitMs` (0: fail at
 * once). Throws LockBusyError when the wait is over, LockFileError when the file cannot be
 * opened or locked at all.
 */
export async function acquireLock(file: string, waitMs: number, pollMs = 50): Promise<Lock> {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK, 0o644);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new LockFileError(file, code, code);
  }
  const start = Date.now();
  try {
    if (!fs.fstatSync(fd).isFile()) throw new LockFileError(file, 'EFTYPE', 'EFTYPE');
    for (;;) {
      const r = flock(fd, LOCK_EX | LOCK_NB);
      if (r === 0) break;
      if (r === -EINTR) continue;
      if (r !== -EWOULDBLOCK) throw new LockFileError(file, `errno ${-r}`, `errno ${-r}`);
      const waited = Date.now() - start;
      if (waited >= waitMs) throw new LockBusyError(file, holderOf(fd), waited);
      await sleep(Math.min(pollMs, waitMs - waited));
    }
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  // Best effort (a full disk must not stop a rollback): who holds it, for a message elsewhere.
  try {
    const pid = Buffer.from(`${process.pid}\n`);
    fs.ftruncateSync(fd, 0);
    fs.writeSync(fd, pid, 0, pid.length, 0);
  } catch { /* /proc/locks names the holder anyway */ }
  let held = true;
  return {
    file,
    release(): void {
      if (!held) return;
      held = false;
      try { flock(fd, LOCK_UN); } finally { fs.closeSync(fd); }
    },
  };
}
