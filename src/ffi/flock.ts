/**
 * flock(2) through koffi: the advisory lock that keeps two ethkit writers of one state
 * directory apart (src/common/lock.ts). The kernel drops the lock when its descriptor is
 * closed, also when the process is killed, so a crash never leaves a stale lock behind.
 * Node has no flock of its own; the descriptor is one opened by node:fs.
 */
import './preload'; // must precede koffi: registers its native module as the package entry
import koffi from 'koffi';

export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

let fn: koffi.KoffiFunction | null = null;

function flockFn(): koffi.KoffiFunction {
  if (fn) return fn;
  let lib: koffi.IKoffiLib;
  try { lib = koffi.load(null); } catch { lib = koffi.load('libc.so.6'); }
  fn = lib.func('int flock(int fd, int operation)');
  return fn;
}

/** flock(fd, op): 0, or the negated errno (EWOULDBLOCK = 11 when LOCK_NB finds it held). */
export function flock(fd: number, op: number): number {
  const r = flockFn()(fd, op) as number;
  return r < 0 ? -koffi.errno() : 0;
}
