/**
 * CTRL_CMD_GETPOLICY for one operation of a family: what the kernel says about the attributes
 * its request may carry. ethtool 6.1 asks this before it sets ETHTOOL_FLAG_STATS (`-I`): the
 * flag goes into the header only when the validation mask of ETHTOOL_A_HEADER_FLAGS, in the
 * nested policy of the op's header attribute, has it.
 *
 * The answer is a dump: first a message with CTRL_ATTR_OP_POLICY { op { DO: policy index,
 * DUMP: policy index } }, then one message per (policy, attribute) with CTRL_ATTR_POLICY
 * { policy index { attribute { NL_POLICY_TYPE_ATTR_* } } }. The walk below follows ethtool's
 * (netlink/netlink.c, family_policy_cb): the op's policy, the policy index of its header
 * attribute, the MASK of that policy's FLAGS attribute — and ethtool's complaints when a piece
 * is missing (after which it sends no flags).
 */
import { CTRL } from './catalog';
import { CTRL_CMD, CTRL_VERSION, GENL_ID_CTRL, NLM_F, NL_POLICY_TYPE_ATTR } from './constants';
import { buildGenl, genlHeader, Extack, NlMessage } from './message';
import { forEachAttr, viewOf } from './tlv';
import type { NetlinkConnection } from './conn';

/** enum ctrl_attrs / ctrl_attr_policy ids used here. */
const CTRL_ATTR = { POLICY: 8, OP_POLICY: 9 } as const;
const CTRL_ATTR_POLICY = { DO: 1, DUMP: 2 } as const;
/** ETHTOOL_A_HEADER_FLAGS in the header's nested policy. */
const HEADER_FLAGS = 3;

export const POLICY_PROBLEM = {
  NO_OP_MAP: 'op policy map not present',
  NO_HEADER_INDEX: 'no policy index in what was expected to be ethtool header attribute',
  NO_MASK: 'validation mask not reported for ethtool header flags',
} as const;

export interface HeaderFlagsPolicy {
  /** The validation mask of the header's FLAGS attribute (0n when it was not found). */
  mask: bigint;
  /** ethtool's complaint about the answer (printed as "Error: …"); the walk stopped there. */
  problem: string | null;
  /** The request failed: the negative errno and the kernel's extended ack (else 0 / null). */
  error: number;
  extack: Extack | null;
}

/**
 * Ask for the policy of `op` of family `familyId` and find the validation mask of
 * ETHTOOL_A_HEADER_FLAGS in the nested policy of its attribute `headerAttr`, for the op's DO
 * (or, with `dump`, DUMP) policy.
 */
export function headerFlagsPolicy(conn: NetlinkConnection, familyId: number, op: number, headerAttr: number, dump = false): HeaderFlagsPolicy {
  const msg = buildGenl(conn.writer, {
    family: GENL_ID_CTRL, cmd: CTRL_CMD.GETPOLICY, version: CTRL_VERSION,
    flags: NLM_F.REQUEST | NLM_F.ACK | NLM_F.DUMP, seq: conn.nextSeq(), attrs: CTRL,
    values: { family_id: familyId, op },
  });
  const st = new PolicyWalk(op, headerAttr, dump);
  const out = conn.transact(msg, m => {
    if (m.type !== GENL_ID_CTRL || st.stopped) return;
    st.message(m);
  });
  return { mask: st.mask, problem: st.problem, error: st.stopped ? 0 : out.error, extack: st.stopped ? null : out.extack };
}

class PolicyWalk {
  opPolicyFound = false;
  opPolicyIdx = 0;
  hdrPolicyFound = false;
  hdrPolicyIdx = 0;
  mask = 0n;
  problem: string | null = null;
  /** A complaint ended the walk (ethtool's callback answered MNL_CB_ERROR). */
  stopped = false;

  constructor(readonly op: number, readonly headerAttr: number, readonly dump: boolean) {}

  private stop(problem: string | null): void {
    this.problem = problem;
    this.stopped = true;
  }

  message(m: NlMessage): void {
    const buf = m.buf;
    const g = genlHeader(m);
    let opPolicy: [number, number] | null = null;
    let policy: [number, number] | null = null;
    try {
      forEachAttr(buf, g.attrs, m.end, (type, at, stop) => {
        if (type === CTRL_ATTR.OP_POLICY) opPolicy = [at, stop];
        else if (type === CTRL_ATTR.POLICY) policy = [at, stop];
      });
    } catch {
      this.stop(null);
      return;
    }
    if (!this.opPolicyFound) {
      if (!opPolicy) { this.stop(POLICY_PROBLEM.NO_OP_MAP); return; }
      this.findOp(buf, opPolicy);
      return;
    }
    if (!policy) return;
    const [ps, pe] = policy as [number, number];
    // The first attribute of CTRL_ATTR_POLICY: type = policy index; its first: type = attribute.
    const first = (s: number, e: number): { type: number; at: number; stop: number } | null => {
      if (e - s < 4) return null;
      const dv = viewOf(buf);
      const len = dv.getUint16(s, true);
      if (len < 4 || s + len > e) return null;
      return { type: dv.getUint16(s + 2, true) & 0x3fff, at: s + 4, stop: s + len };
    };
    const p = first(ps, pe);
    const a = p ? first(p.at, p.stop) : null;
    if (!p || !a) { this.stop(null); return; }
    const tb = new Map<number, [number, number]>();
    try {
      forEachAttr(buf, a.at, a.stop, (type, at, stop) => { tb.set(type, [at, stop]); });
    } catch {
      this.stop(null);
      return;
    }
    const dv = viewOf(buf);
    if (p.type === this.opPolicyIdx && a.type === this.headerAttr) {
      const idx = tb.get(NL_POLICY_TYPE_ATTR.POLICY_IDX);
      if (!idx) { this.stop(POLICY_PROBLEM.NO_HEADER_INDEX); return; }
      this.hdrPolicyFound = true;
      this.hdrPolicyIdx = dv.getUint32(idx[0], true);
    }
    if (this.hdrPolicyFound && this.hdrPolicyIdx === p.type && a.type === HEADER_FLAGS) {
      const mask = tb.get(NL_POLICY_TYPE_ATTR.MASK);
      if (!mask) { this.stop(POLICY_PROBLEM.NO_MASK); return; }
      this.mask = mask[1] - mask[0] >= 8 ? dv.getBigUint64(mask[0], true) : BigInt(dv.getUint32(mask[0], true));
    }
  }

  private findOp(buf: Uint8Array, [s, e]: [number, number]): void {
    const want = this.dump ? CTRL_ATTR_POLICY.DUMP : CTRL_ATTR_POLICY.DO;
    let done = false;
    try {
      forEachAttr(buf, s, e, (type, at, stop) => {
        if (done || type !== this.op) return;
        let idx: number | null = null;
        forEachAttr(buf, at, stop, (t, a) => { if (t === want) idx = viewOf(buf).getUint32(a, true); });
        if (idx === null) return;
        this.opPolicyFound = true;
        this.opPolicyIdx = idx;
        done = true;
      });
    } catch {
      this.stop(null);
    }
  }
}
