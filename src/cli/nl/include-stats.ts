/**
 * -I / --include-statistics (ethtool 6.1's get_stats_flag): ETHTOOL_FLAG_STATS goes into a GET's
 * header only when the kernel's policy for the message accepts it there — asked with
 * CTRL_CMD_GETPOLICY (for the DO policy: ethtool asks before it knows of a dump), once per
 * message. Problems with the policy answer are reported as ethtool reports them, and the flag
 * is then left out.
 */
import type { UserMessage } from '../../ethtool/netlink/catalog';
import { ETHTOOL_FLAG } from '../../ethtool/netlink/constants';
import { ethtoolErrorLines } from '../../ethtool/netlink/message';
import type { NlCtx } from './cmd';

/** The header flags for `msg` that -I asks for: ETHTOOL_FLAG_STATS or 0. */
export function statsFlag(c: NlCtx, msg: UserMessage): number {
  if (!c.includeStats) return 0;
  if (!c.nl.hasPolicy(msg)) return 0;
  const p = c.nl.headerFlagsPolicy(msg);
  if (p.problem) c.out.err(`Error: ${p.problem}\n`);
  else if (p.error) for (const l of ethtoolErrorLines({ error: p.error, extack: p.extack }, c.st.suppress)) c.out.err(l + '\n');
  return (p.mask & BigInt(ETHTOOL_FLAG.STATS)) !== 0n ? ETHTOOL_FLAG.STATS : 0;
}
