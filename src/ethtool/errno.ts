/**
 * The errno catalog: numbers, names and glibc's strerror(3) texts (what ethtool prints after
 * "Cannot ...: "). The numbers come from Node's own table of the platform's errno values.
 */
import { constants as osConstants } from 'node:os';

const E = osConstants.errno;

/** The errno values the layers above name. */
export const ERRNO = {
  EPERM: E.EPERM, ENOENT: E.ENOENT, EIO: E.EIO, E2BIG: E.E2BIG, EBADF: E.EBADF, EAGAIN: E.EAGAIN, ENOMEM: E.ENOMEM,
  EACCES: E.EACCES, EFAULT: E.EFAULT, EBUSY: E.EBUSY, EEXIST: E.EEXIST, ENODEV: E.ENODEV, ENOTDIR: E.ENOTDIR,
  EINVAL: E.EINVAL, ENOSPC: E.ENOSPC, EROFS: E.EROFS, ERANGE: E.ERANGE, ENODATA: E.ENODATA, EOPNOTSUPP: E.EOPNOTSUPP,
  EAFNOSUPPORT: E.EAFNOSUPPORT, ENXIO: E.ENXIO, EINTR: E.EINTR, ETIMEDOUT: E.ETIMEDOUT, EWOULDBLOCK: E.EWOULDBLOCK,
} as const;

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(E).map(([k, v]) => [v, k]));

/** EOPNOTSUPP for 95, or "E<n>" for a number without a name. */
export function errnoName(errno: number): string {
  return NAMES[errno] ?? `E${errno}`;
}

/** The errno of a Node error code ('ENOSPC' → 28), or undefined. */
export function errnoOf(code: string): number | undefined {
  return (E as Record<string, number>)[code];
}

/* glibc's texts for errno 1..133, kept as one joined string: looked up at most a few times per run. */
const TEXTS = 'Operation not permitted|No such file or directory|No such process|Interrupted system call|Input/output error|No such device or address|Argument list too long|Exec format error|Bad file descriptor|No child processes|Resource temporarily unavailable|Cannot allocate memory|Permission denied|Bad address|Block device required|Device or resource busy|File exists|Invalid cross-device link|No such device|Not a directory|Is a directory|Invalid argument|Too many open files in system|Too many open files|Inappropriate ioctl for device|Text file busy|File too large|No space left on device|Illegal seek|Read-only file system|Too many links|Broken pipe|Numerical argument out of domain|Numerical result out of range|Resource deadlock avoided|File name too long|No locks available|Function not implemented|Directory not empty|Too many levels of symbolic links|Unknown error 41|No message of desired type|Identifier removed|Channel number out of range|Level 2 not synchronized|Level 3 halted|Level 3 reset|Link number out of range|Protocol driver not attached|No CSI structure available|Level 2 halted|Invalid exchange|Invalid request descriptor|Exchange full|No anode|Invalid request code|Invalid slot|Unknown error 58|Bad font file format|Device not a stream|No data available|Timer expired|Out of streams resources|Machine is not on the network|Package not installed|Object is remote|Link has been severed|Advertise error|Srmount error|Communication error on send|Protocol error|Multihop attempted|RFS specific error|Bad message|Value too large for defined data type|Name not unique on network|File descriptor in bad state|Remote address changed|Can not access a needed shared library|Accessing a corrupted shared library|.lib section in a.out corrupted|Attempting to link in too many shared libraries|Cannot exec a shared library directly|Invalid or incomplete multibyte or wide character|Interrupted system call should be restarted|Streams pipe error|Too many users|Socket operation on non-socket|Destination address required|Message too long|Protocol wrong type for socket|Protocol not available|Protocol not supported|Socket type not supported|Operation not supported|Protocol family not supported|Address family not supported by protocol|Address already in use|Cannot assign requested address|Network is down|Network is unreachable|Network dropped connection on reset|Software caused connection abort|Connection reset by peer|No buffer space available|Transport endpoint is already connected|Transport endpoint is not connected|Cannot send after transport endpoint shutdown|Too many references: cannot splice|Connection timed out|Connection refused|Host is down|No route to host|Operation already in progress|Operation now in progress|Stale file handle|Structure needs cleaning|Not a XENIX named type file|No XENIX semaphores available|Is a named type file|Remote I/O error|Disk quota exceeded|No medium found|Wrong medium type|Operation canceled|Required key not available|Key has expired|Key has been revoked|Key was rejected by service|Owner died|State not recoverable|Operation not possible due to RF-kill|Memory page has hardware error';

let table: string[] | null = null;

export function strerror(errno: number): string {
  if (errno === 0) return 'Success';
  table ??= TEXTS.split('|');
  return table[errno - 1] ?? `Unknown error ${errno}`;
}
