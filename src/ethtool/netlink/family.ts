/**
 * Generic netlink family resolution: CTRL_CMD_GETFAMILY for a family name (as ethtool sends
 * it: NLM_F_REQUEST|NLM_F_ACK, controller version 1, CTRL_ATTR_FAMILY_NAME), answered with
 * the family's id, its multicast groups (ethtool's "monitor") and the operations this kernel
 * implements with their GENL_CMD_CAP_* flags. What ethtool decides from the operations: a
 * request is sent over netlink only when the kernel lists it (with DO for a device, DUMP for
 * a wildcard), else it falls back to the ioctl (docs/netlink.md).
 */
import { Attrs, decodeAttrs } from './attrs';
import { CTRL, USER_MESSAGES, UserMessage } from './catalog';
import { CTRL_CMD, CTRL_VERSION, GENL_CMD_CAP, GENL_ID_CTRL, NLM_F } from './constants';
import { Extack, buildGenl, genlHeader } from './message';
import { NetlinkConnection } from './conn';

export interface GenlFamily {
  id: number;
  name: string;
  version: number;
  hdrsize: number;
  maxattr: number;
  /** Operation id → GENL_CMD_CAP_* flags. */
  ops: ReadonlyMap<number, number>;
  /** Multicast group name → group id. */
  groups: ReadonlyMap<string, number>;
}

/** A family lookup that failed: the errno (ENOENT: no such family) and the kernel's extack. */
export class FamilyError extends Error {
  constructor(readonly family: string, readonly errno: number, readonly extack: Extack | null) {
    super(`generic netlink family "${family}" is not available: errno ${errno}${extack?.message ? ` (${extack.message})` : ''}`);
    this.name = 'FamilyError';
  }
}

/** The family from a CTRL_CMD_NEWFAMILY message's attributes. */
export function familyFromAttrs(a: Attrs): GenlFamily {
  const ops = new Map<number, number>();
  for (const op of (a.ops as Attrs[] | undefined) ?? []) {
    if (op.id !== undefined) ops.set(op.id as number, (op.flags as number | undefined) ?? 0);
  }
  const groups = new Map<string, number>();
  for (const g of (a.mcast_groups as Attrs[] | undefined) ?? []) {
    if (g.name !== undefined && g.id !== undefined) groups.set(g.name as string, g.id as number);
  }
  return {
    id: (a.family_id as number | undefined) ?? 0,
    name: (a.family_name as string | undefined) ?? '',
    version: (a.version as number | undefined) ?? 0,
    hdrsize: (a.hdrsize as number | undefined) ?? 0,
    maxattr: (a.maxattr as number | undefined) ?? 0,
    ops,
    groups,
  };
}

/** Look up family `name` (default "ethtool"). Throws FamilyError when the kernel has none. */
export function resolveFamily(conn: NetlinkConnection, name = 'ethtool'): GenlFamily {
  const msg = buildGenl(conn.writer, {
    family: GENL_ID_CTRL, cmd: CTRL_CMD.GETFAMILY, version: CTRL_VERSION,
    flags: NLM_F.REQUEST | NLM_F.ACK, seq: conn.nextSeq(), attrs: CTRL, values: { family_name: name },
  });
  let found: GenlFamily | null = null;
  const out = conn.transact(msg, m => {
    if (m.type !== GENL_ID_CTRL) return;
    const g = genlHeader(m);
    if (g.cmd !== CTRL_CMD.NEWFAMILY) return;
    found = familyFromAttrs(decodeAttrs(CTRL, m.buf, g.attrs, m.end, 'ctrl'));
  });
  if (out.error) throw new FamilyError(name, -out.error, out.extack);
  const f = found as GenlFamily | null;
  if (!f || !f.id) throw new FamilyError(name, 99 /* EADDRNOTAVAIL, as ethtool */, null);
  return f;
}

/** Does the family implement `op` (a message name or id), for a device ('do') or a dump? */
export function familyHas(f: GenlFamily, op: UserMessage | number, kind: 'do' | 'dump' = 'do'): boolean {
  const id = typeof op === 'number' ? op : USER_MESSAGES.get(op)?.id;
  if (id === undefined) return false;
  const flags = f.ops.get(id);
  if (flags === undefined) return false;
  return (flags & (kind === 'do' ? GENL_CMD_CAP.DO : GENL_CMD_CAP.DUMP)) !== 0;
}
