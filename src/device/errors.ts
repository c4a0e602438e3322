/**
 * errno → typed errors that carry the operation and the device, so every front end can print
 * one clear line. `op` is the ethtool command name (GRINGPARAM …), `what` says it in words.
 */
import { ERRNO, strerror, errnoName } from '../ethtool/errno';

const E = ERRNO;

export type EthtoolErrorKind =
  | 'unsupported' | 'permission' | 'no-device' | 'invalid' | 'busy' | 'again' | 'range' | 'other';

function kindOf(errno: number): EthtoolErrorKind {
  switch (errno) {
    case E.EOPNOTSUPP: return 'unsupported';
    case E.EPERM: case E.EACCES: return 'permission';
    case E.ENODEV: case E.ENXIO: return 'no-device';
    case E.EINVAL: return 'invalid';
    case E.EBUSY: return 'busy';
    case E.EAGAIN: return 'again';
    case E.ERANGE: return 'range';
    default: return 'other';
  }
}

/** A failed ethtool operation on a device. `message` is one line fit for a user. */
export class EthtoolError extends Error {
  readonly kind: EthtoolErrorKind;
  constructor(
    readonly op: string,
    readonly what: string,
    readonly dev: string,
    readonly errno: number,
    readonly driver?: string,
  ) {
    super(EthtoolError.describe(op, what, dev, errno, driver));
    this.name = 'EthtoolError';
    this.kind = kindOf(errno);
  }

  static describe(op: string, what: string, dev: string, errno: number, driver?: string): string {
    switch (kindOf(errno)) {
      case 'unsupported': return `${dev}: ${what}: operation not supported by driver ${driver ?? '(unknown)'}`;
      case 'permission': return `${dev}: ${what}: permission denied (needs CAP_NET_ADMIN; run as root)`;
      case 'no-device': return `${dev}: no such device`;
      case 'invalid': return `${dev}: ${what}: invalid argument (value rejected by driver${driver ? ' ' + driver : ''})`;
      case 'busy': return `${dev}: ${what}: device or resource busy`;
      case 'again': return `${dev}: ${what}: resource temporarily unavailable, try again`;
      case 'range': return `${dev}: ${what}: value out of range`;
      default: return `${dev}: ${what}: ${strerror(errno)} (${errnoName(errno)})`;
    }
  }
}

/** Bad input caught before any ioctl (interface name, values out of the driver's range…). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
