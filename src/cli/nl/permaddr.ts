/**
 * -P/--show-permaddr over netlink, as ethtool 6.1's netlink/permaddr.c: an rtnetlink
 * RTM_GETLINK for the device (by IFLA_ALT_IFNAME when the name has 16 bytes or more), or a dump
 * of every link for "*", and IFLA_PERM_ADDRESS from the answer. No ethtool message is involved,
 * so nothing is checked against the family's operations.
 */
import type { LinkReply } from '../../ethtool/netlink/rtnl';
import { RTM } from '../../ethtool/netlink/rtnl';
import type { RouteNetlink } from '../../ethtool/netlink/rtnl';
import { NlCtx, isDump, replies, reportAck } from './cmd';

/** permaddr_reply_cb: one link's line; false for a message it cannot read (exit 2). */
function printLink(c: NlCtx, dump: boolean, r: LinkReply): boolean {
  const name = r.attrs.ifname;
  const fail = (): boolean => {
    if (dump || c.st.isMonitor) return true;
    c.st.exitCode = 2;
    c.out.fail('malformed netlink message (permanent address)');
    return false;
  };
  if (r.cmd !== RTM.NEWLINK || typeof name !== 'string') return fail();
  if (c.st.filterDev !== null && name !== c.st.filterDev) return fail();
  const addr = r.attrs.perm_address;
  const ifname = dump ? name : c.devname;
  if (!(addr instanceof Uint8Array)) {
    if (!dump) {
      c.p.text('Permanent address: not set\n');
      c.out.object({ ifname, 'permanent-address': null });
    }
    return true;
  }
  const bytes = Array.from(addr, x => x.toString(16).padStart(2, '0'));
  c.p.text((dump ? `Permanent address of ${name}:` : 'Permanent address:') + bytes.map((x, i) => (i ? ':' : ' ') + x).join('') + '\n');
  c.out.object({ ifname, 'permanent-address': bytes.join(':') });
  return true;
}

/** nl_permaddr */
export function permaddr(c: NlCtx): number {
  let rt: RouteNetlink;
  try {
    rt = c.nl.route();
  } catch {
    c.out.fail('cannot open an rtnetlink socket');
    return 1;
  }
  const dump = isDump(c);
  const r = rt.getLink(dump ? null : c.devname);
  for (const reply of replies(c, r)) if (!printLink(c, dump, reply)) return c.st.exitCode || 1;
  if (!r.done) reportAck(c, r);
  return r.ok || r.done ? 0 : c.st.exitCode || 1;
}
