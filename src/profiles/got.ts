/** A device read as the profiles keep it: the value, or why it could not be had (and whether the driver lacks the op). */
import { EthtoolError } from '../device/errors';

export type Got<T> = { ok: T } | { err: string; unsupported: boolean };

/** Run a read; an EthtoolError becomes its reason, anything else is thrown on. */
export function got<T>(fn: () => T): Got<T> {
  try {
    return { ok: fn() };
  } catch (e) {
    if (e instanceof EthtoolError) return { err: e.message, unsupported: e.kind === 'unsupported' };
    throw e;
  }
}
