/**
 * rtnetlink link requests (src/ethtool/netlink/rtnl.ts): constants against the system headers,
 * the exact RTM_GETLINK bytes ethtool 6.1 sends for -P, answers decoded, errors, dumps; the
 * client's route() socket; whether an answer ended in a dump's NLMSG_DONE; and the real kernel.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EthtoolNetlink, IFINFOMSG, IFLA, IFNAMSIZ, RouteNetlink, RTEXT_FILTER, RTM, NETLINK_ROUTE } from '../src/ethtool/netlink';
import { NetlinkConnection } from '../src/ethtool/netlink/conn';
import { ScriptedNetlink, ackOf, errorOf } from './helpers/nl-scripted';
import { probeConstants } from './helpers/cprobe';
import * as B from './helpers/nl-bytes';
import * as FX from './helpers/nl-fixtures';

const { str, u32, bin, words } = B;

test('constants: RTM_*, RTEXT_FILTER_*, IFLA_*, IFNAMSIZ and struct ifinfomsg as the headers have them', () => {
  // Expressions with a TAB where C wants a blank: the probe's output is split at spaces.
  const names: Record<string, number> = {
    NETLINK_ROUTE, RTM_NEWLINK: RTM.NEWLINK, RTM_DELLINK: RTM.DELLINK, RTM_GETLINK: RTM.GETLINK,
    RTEXT_FILTER_VF: RTEXT_FILTER.VF, RTEXT_FILTER_BRVLAN: RTEXT_FILTER.BRVLAN,
    RTEXT_FILTER_BRVLAN_COMPRESSED: RTEXT_FILTER.BRVLAN_COMPRESSED, RTEXT_FILTER_SKIP_STATS: RTEXT_FILTER.SKIP_STATS,
    IFNAMSIZ, 'sizeof(struct\tifinfomsg)': IFINFOMSG.size,
    '__builtin_offsetof(struct\tifinfomsg,\tifi_family)': IFINFOMSG.ifi_family, '__builtin_offsetof(struct\tifinfomsg,\tifi_type)': IFINFOMSG.ifi_type,
    '__builtin_offsetof(struct\tifinfomsg,\tifi_index)': IFINFOMSG.ifi_index, '__builtin_offsetof(struct\tifinfomsg,\tifi_flags)': IFINFOMSG.ifi_flags,
    '__builtin_offsetof(struct\tifinfomsg,\tifi_change)': IFINFOMSG.ifi_change,
  };
  for (const a of IFLA.attrs) names[a.cname] = a.id;
  const got = probeConstants(['linux/if.h', 'linux/netlink.h', 'linux/rtnetlink.h', 'linux/if_link.h'], Object.keys(names));
  for (const [n, v] of Object.entries(names)) assert.equal(got.get(n), BigInt(v), n);
});

function rt(steps: ConstructorParameters<typeof ScriptedNetlink>[0]): { r: RouteNetlink; t: ScriptedNetlink } {
  const t = new ScriptedNetlink(steps);
  return { r: new RouteNetlink(new NetlinkConnection(t, 200)), t };
}

const newlink = (name: string, index: number, extra: Uint8Array[] = [], flags = 0) =>
  B.nlmsg({ type: 16, flags }, B.cat([0, 0, 1, 0], words(index, 0x1043, 0), str(3, name), ...extra));

test('getLink: RTM_GETLINK by IFLA_IFNAME, by IFLA_ALT_IFNAME from IFNAMSIZ bytes on, with IFLA_EXT_MASK', () => {
  const req = (type: number, name: string) => B.nlmsg({ type: 18, flags: 5 }, B.cat(new Uint8Array(16), str(type, name), u32(29, 8)));
  const long = 'x'.repeat(IFNAMSIZ);
  const { r, t } = rt([
    { request: req(3, 'eth0'), replies: [newlink('eth0', 4, [bin(54, [2, 0xfc, 0, 0, 0, 1]), u32(4, 1400)]), ackOf] },
    { request: req(3, 'x'.repeat(IFNAMSIZ - 1)), replies: [errorOf(19)] },
    { request: req(53, long), replies: [newlink('eth0', 4), ackOf] },
  ]);
  const a = r.getLink('eth0');
  assert.ok(a.ok);
  assert.equal(a.replies.length, 1);
  assert.deepEqual(a.replies[0].ifinfo, { family: 0, type: 1, index: 4, flags: 0x1043, change: 0 });
  assert.equal(a.replies[0].message, 'RTM_NEWLINK');
  assert.equal(a.replies[0].attrs.ifname, 'eth0');
  assert.equal(a.replies[0].attrs.mtu, 1400);
  assert.deepEqual([...(a.replies[0].attrs.perm_address as Uint8Array)], [2, 0xfc, 0, 0, 0, 1]);
  const e = r.getLink('x'.repeat(IFNAMSIZ - 1));
  assert.ok(!e.ok);
  assert.deepEqual([e.errno, e.source, e.done], [19, 'kernel', false]);
  assert.ok(r.getLink(long).ok);
  t.assertDone();
});

test('getLink(null): a dump; replies of several datagrams; an error in the NLMSG_DONE is flagged', () => {
  const dumpReq = B.nlmsg({ type: 18, flags: 0x305 }, B.cat(new Uint8Array(16), u32(29, 8)));
  const { r, t } = rt([
    { request: dumpReq, replies: [B.datagram(newlink('lo', 1, [], 2), newlink('eth0', 2, [], 2)), B.datagram(newlink('eth1', 3, [], 2), B.done({}))] },
    { request: dumpReq, replies: [B.datagram(newlink('lo', 1, [], 2), B.done({}, -5))] },
  ]);
  const d = r.getLink(null);
  assert.ok(d.ok && d.done);
  assert.deepEqual(d.replies.map(x => x.attrs.ifname), ['lo', 'eth0', 'eth1']);
  const e = r.getLink(null);
  assert.ok(!e.ok);
  assert.deepEqual([e.errno, e.done, e.replies.length], [5, true, 1]);
  t.assertDone();
});

test('EthtoolNetlink: route() opens one rtnetlink socket on first use, closed with the client; results say how they ended', () => {
  const g = new ScriptedNetlink([
    { note: 'family', replies: [FX.FAMILY_REPLY, ackOf] },
    { note: 'dump', replies: [FX.RINGS_DUMP] },
    { note: 'get', replies: [FX.RINGS_REPLY, ackOf] },
    { note: 'dump, DONE with an error', replies: [B.datagram(B.done({}, -22))] },
  ]);
  let opened = 0;
  const route = new ScriptedNetlink([{ replies: [newlink('eth0', 4), ackOf] }]);
  const nl = EthtoolNetlink.open({ transport: g, timeoutMs: 200, routeTransport: () => { opened++; return route; } });
  const d = nl.dump('RINGS_GET');
  assert.ok(d.ok && d.done);
  const o = nl.get('RINGS_GET', 'eth0');
  assert.ok(o.ok && !o.done);
  const f = nl.dump('RINGS_GET');
  assert.ok(!f.ok && f.done && f.errno === 22);
  assert.equal(opened, 0);
  assert.equal(nl.route().getLink('eth0').ok, true);
  assert.equal(nl.route(), nl.route());
  assert.equal(opened, 1);
  nl.close();
  assert.equal(route.closed, true);
  assert.throws(() => nl.route());
  g.assertDone();
  route.assertDone();
});

test('real kernel: the loopback device by name and in a dump; a missing name is ENODEV', () => {
  const r = RouteNetlink.open();
  try {
    const lo = r.getLink('lo');
    assert.ok(lo.ok);
    assert.equal(lo.replies[0].attrs.ifname, 'lo');
    assert.equal(lo.replies[0].ifinfo.index, 1);
    const all = r.getLink(null);
    assert.ok(all.ok);
    assert.ok(all.replies.some(x => x.attrs.ifname === 'lo'));
    const none = r.getLink('nosuchdev0');
    assert.ok(!none.ok);
    assert.equal(none.errno, 19);
  } finally {
    r.close();
  }
});
