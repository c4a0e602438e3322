/**
 * Bounded reads of files a user names (profiles) or that a state directory holds (snapshots):
 * regular files only, opened so that a FIFO or a terminal can never block the process
 * (O_NONBLOCK | O_NOCTTY), checked with fstat on the descriptor read from, and read with a bound
 * so that /dev/zero or a huge file cannot exhaust memory.
 */
import fs from 'node:fs';

/** A file that cannot be read as asked; `code` is an errno name or EFTYPE / EFBIG. One-line message. */
export class FileReadError extends Error {
  constructor(readonly path: string, readonly code: string, message: string) {
    super(message);
    this.name = 'FileReadError';
  }
}

export const MiB = 1024 * 1024;

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function errnoText(code: string): string {
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': return 'permission denied';
    case 'EPERM': return 'operation not permitted';
    case 'EROFS': return 'read-only file system';
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EIO': return 'input/output error';
    case 'ENOTDIR': return 'not a directory';
    case 'EISDIR': return 'is a directory';
    case 'ELOOP': return 'too many symbolic links';
    case 'EEXIST': return 'file exists';
    case 'ENAMETOOLONG': return 'file name too long';
    case 'EMFILE': return 'too many open files';
    default: return 'error';
  }
}

/** "no space left on device (ENOSPC)" from a Node fs error. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return `${errnoText(code)} (${code})`;
  return e instanceof Error ? e.message : String(e);
}

/**
 * The bytes of a regular file of at most `limit` bytes. Throws FileReadError for anything else:
 * a FIFO, device, socket or directory (EFTYPE), a file larger than the limit (EFBIG, also when
 * it grows while being read), or an errno from open/read.
 */
export function readRegularFile(file: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new FileReadError(file, code, `${errnoText(code)} (${code})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(file, 'EFTYPE', `${kindOf(st)}, not a regular file`);
    if (st.size > limit) throw new FileReadError(file, 'EFBIG', `${st.size} bytes, larger than the limit of ${limitText(limit)}`);
    // Read up to one byte past the limit: a file that grows while read (or whose size lies, as
    // in /proc) is caught without ever holding more than limit + 1 bytes.
    let buf = Buffer.allocUnsafe(Math.min(limit + 1, st.size + 4096));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > limit) throw new FileReadError(file, 'EFBIG', `larger than the limit of ${limitText(limit)}`);
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buf.length * 2));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      let got: number;
      try { got = fs.readSync(fd, buf, n, buf.length - n, null); } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
        if (code === 'EINTR') continue;
        throw new FileReadError(file, code, `${errnoText(code)} (${code})`);
      }
      if (got === 0) return buf.subarray(0, n);
      n += got;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function limitText(limit: number): string {
  return limit % MiB === 0 ? `${limit / MiB} MiB` : `${limit} bytes`;
}
