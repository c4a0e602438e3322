/**
 * ETHTOOL_PERQUEUE: a sub-command (GCOALESCE / SCOALESCE) applied to the queues of a
 * MAX_NUM_QUEUE-bit mask, one ethtool_coalesce per queue in the mask, in queue order. Built and
 * decoded here and nowhere else; answers the errno, holds no policy.
 */
import { decode, encode, request } from './layout';
import * as S from './structs';
import { ETHTOOL, MAX_NUM_QUEUE } from './constants';
import type { Port } from './transport';
import type { Res } from './ops';
import type { Coalesce } from './types';

/** The mask's words (MAX_NUM_QUEUE bits, bit q of word q >> 5). */
export const QUEUE_MASK_WORDS = MAX_NUM_QUEUE / 32;

/** A queue mask from queue numbers (each below MAX_NUM_QUEUE). */
export function queueMask(queues: Iterable<number>): Uint32Array {
  const m = new Uint32Array(QUEUE_MASK_WORDS);
  for (const q of queues) {
    if (!Number.isInteger(q) || q < 0 || q >= MAX_NUM_QUEUE) throw new RangeError(`queue ${q} is outside 0..${MAX_NUM_QUEUE - 1}`);
    m[q >> 5] |= 1 << (q & 31);
  }
  return m;
}

/** The queues of a mask, ascending. */
export function maskQueues(mask: Uint32Array): number[] {
  const out: number[] = [];
  for (let w = 0; w < mask.length; w++) for (let b = 0; b < 32; b++) if ((mask[w] >>> b) & 1) out.push(w * 32 + b);
  return out;
}

const C = S.ethtool_coalesce;
const HEAD = S.ethtool_per_queue_op.flex!.offset;

function perQueueRequest(sub: number, mask: Uint32Array, n: number): Uint8Array {
  const buf = request(S.ethtool_per_queue_op, ETHTOOL.PERQUEUE, n * C.size);
  encode(S.ethtool_per_queue_op, { sub_command: sub, queue_mask: [...mask] }, buf);
  return buf;
}

/**
 * PERQUEUE GCOALESCE for the queues of `mask`, with room for `n` answers (ethtool sizes it by
 * its queue count, which is the mask's population): one Coalesce per slot, in queue order.
 */
export function getPerQueueCoalesce(p: Port, mask: Uint32Array, n: number): Res<Coalesce[]> {
  const buf = perQueueRequest(ETHTOOL.GCOALESCE, mask, n);
  const r = p.ioctl(buf);
  if (r < 0) return { ok: false, errno: -r };
  const out: Coalesce[] = [];
  for (let i = 0; i < n; i++) {
    const { cmd: _cmd, ...rest } = decode(C, buf, HEAD + i * C.size);
    out.push(rest as unknown as Coalesce);
  }
  return { ok: true, v: out };
}

/** PERQUEUE SCOALESCE: one Coalesce per queue of `mask`, in queue order. The kernel's answer or -errno. */
export function setPerQueueCoalesce(p: Port, mask: Uint32Array, values: readonly Readonly<Coalesce>[]): number {
  const buf = perQueueRequest(ETHTOOL.SCOALESCE, mask, values.length);
  values.forEach((v, i) => {
    encode(C, { ...(v as unknown as Record<string, number>), cmd: undefined }, buf, HEAD + i * C.size);
  });
  return p.ioctl(buf);
}
