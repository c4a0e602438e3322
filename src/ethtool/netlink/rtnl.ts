/**
 * rtnetlink's link requests (RTM_GETLINK), as ethtool 6.1 sends them for -P: one device by
 * name (IFLA_IFNAME, or IFLA_ALT_IFNAME for a name of IFNAMSIZ bytes or more) or a dump of
 * every link, with IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS; answered by RTM_NEWLINK messages.
 *
 *   const rt = RouteNetlink.open();                  // a NETLINK_ROUTE socket
 *   const r = rt.getLink('eth0');                    // { ok, replies: [{ ifinfo, attrs: { ifname, perm_address, … } }] }
 *   rt.getLink(null);                                // every link
 *   rt.close();
 *
 * Errors come as { errno, extack } in the shape of the ethtool client's (./client.ts) results.
 */
import { openNetlink, NetlinkTransport } from './transport';
import { Attrs, decodeAttrs, defineAttrs } from './attrs';
import { NetlinkConnection, NetlinkTracer } from './conn';
import { NLM_F, NLMSG_HDRLEN, NLMSGHDR as H, RTM_NAMES } from './constants';
import type { Extack, NlMessage } from './message';
import { MulticastReader } from './multicast';
import { viewOf } from './tlv';

/** <linux/netlink.h> NETLINK_ROUTE, <linux/rtnetlink.h> message types and filters. */
export const NETLINK_ROUTE = 0;
export const RTM = { NEWLINK: 16, DELLINK: 17, GETLINK: 18 } as const;
export const RTEXT_FILTER = { VF: 1 << 0, BRVLAN: 1 << 1, BRVLAN_COMPRESSED: 1 << 2, SKIP_STATS: 1 << 3 } as const;
/** <linux/if.h> IFNAMSIZ: longer names are looked up as alternative names. */
export const IFNAMSIZ = 16;

/** struct ifinfomsg: size and field offsets. */
export const IFINFOMSG = { size: 16, ifi_family: 0, ifi_type: 2, ifi_index: 4, ifi_flags: 8, ifi_change: 12 } as const;

/** The IFLA_* attributes a link message is read with (others decode into `_unknown`). */
export const IFLA = defineAttrs('ifla', 'IFLA_', [
  [1, 'address', 'binary'],
  [2, 'broadcast', 'binary'],
  [3, 'ifname', 'string'],
  [4, 'mtu', 'u32'],
  [5, 'link', 'u32'],
  [13, 'txqlen', 'u32'],
  [16, 'operstate', 'u8'],
  [29, 'ext_mask', 'u32'],
  [53, 'alt_ifname', 'string'],
  [54, 'perm_address', 'binary'],
]);

export interface IfInfo { family: number; type: number; index: number; flags: number; change: number }

export interface LinkReply {
  /** nlmsg_type: RTM_NEWLINK for a link. */
  cmd: number;
  message: string;
  ifinfo: IfInfo;
  attrs: Attrs;
}

export type LinkResult =
  | { ok: true; replies: LinkReply[]; warning: Extack | null; interrupted: boolean; done: boolean }
  | {
    ok: false; errno: number; source: 'kernel' | 'socket'; extack: Extack | null;
    offending: string[]; missing: string[]; replies: LinkReply[];
    /** The error came in the NLMSG_DONE that ended a dump. */
    done: boolean;
  };


/** An RTM_NEWLINK/RTM_DELLINK message decoded (null when too short for its ifinfomsg). */
export function decodeLinkMessage(m: NlMessage): LinkReply | null {
  const start = m.payload + IFINFOMSG.size;
  if (start > m.end) return null;
  const dv = viewOf(m.buf);
  const p = m.payload;
  const ifinfo: IfInfo = {
    family: dv.getUint8(p + IFINFOMSG.ifi_family), type: dv.getUint16(p + IFINFOMSG.ifi_type, true),
    index: dv.getInt32(p + IFINFOMSG.ifi_index, true), flags: dv.getUint32(p + IFINFOMSG.ifi_flags, true),
    change: dv.getUint32(p + IFINFOMSG.ifi_change, true),
  };
  const message = RTM_NAMES[m.type] ?? `#${m.type}`;
  return { cmd: m.type, message, ifinfo, attrs: decodeAttrs(IFLA, m.buf, start, m.end, message) };
}

/** <linux/rtnetlink.h> RTNLGRP_LINK: the multicast group of link notifications. */
export const RTNLGRP_LINK = 1;
/** <linux/if.h> interface flags read from link notifications. */
export const IFF = { UP: 1 << 0, RUNNING: 1 << 6, LOWER_UP: 1 << 16 } as const;
/** <linux/if.h> IF_OPER_* (RFC 2863 operational states), by value. */
export const IF_OPER_NAMES = ['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up'] as const;

/** A link notification: the device, its operstate and flags after the change. */
export interface LinkEvent {
  /** RTM_NEWLINK or RTM_DELLINK */
  message: string;
  index: number;
  name: string | undefined;
  /** IF_OPER_* name, e.g. 'up', 'down', 'lowerlayerdown' ('' if absent) */
  operstate: string;
  flags: number;
}

/**
 * Link notifications of RTNLGRP_LINK (the kernel's RTM_NEWLINK/RTM_DELLINK on every change of
 * a link's flags, operstate, name …), on a NETLINK_ROUTE socket of its own.
 */
export class LinkMonitor {
  private readonly reader: MulticastReader<LinkEvent>;

  constructor(transport: NetlinkTransport) {
    this.reader = new MulticastReader(transport, m => {
      if (m.type !== RTM.NEWLINK && m.type !== RTM.DELLINK) return null;
      const r = decodeLinkMessage(m);
      if (!r) return null;
      const op = r.attrs.operstate as number | undefined;
      return {
        message: r.message, index: r.ifinfo.index, name: r.attrs.ifname as string | undefined,
        operstate: op === undefined ? '' : IF_OPER_NAMES[op] ?? `#${op}`, flags: r.ifinfo.flags,
      };
    }, 'link notifications');
  }

  /** Subscribe (a new socket, or `transport`); throws NetlinkSocketError / an errno Error. */
  static open(transport?: NetlinkTransport): LinkMonitor {
    const t = transport ?? openNetlink({ protocol: NETLINK_ROUTE });
    const r = t.addMembership(RTNLGRP_LINK);
    if (r < 0) {
      t.close();
      throw Object.assign(new Error(`cannot join RTNLGRP_LINK: errno ${-r}`), { errno: -r });
    }
    return new LinkMonitor(t);
  }

  /** Notifications lost to a full socket buffer. */
  get lost(): number { return this.reader.lost; }

  /** The next link notification, or null when none came within `timeoutMs` or the monitor was closed. */
  next(timeoutMs?: number): Promise<LinkEvent | null> { return this.reader.next(timeoutMs); }

  close(): void { this.reader.close(); }
}

export class RouteNetlink {
  constructor(readonly conn: NetlinkConnection) {}

  /** A NETLINK_ROUTE socket (or `transport`), NETLINK_EXT_ACK on as ethtool sets it. */
  static open(transport?: NetlinkTransport, timeoutMs?: number, tracer: NetlinkTracer | null = null): RouteNetlink {
    const conn = new NetlinkConnection(transport ?? openNetlink({ protocol: NETLINK_ROUTE }), timeoutMs);
    conn.tracer = tracer;
    return new RouteNetlink(conn);
  }

  /** RTM_GETLINK for `name`, or (null) a dump of every link. */
  getLink(name: string | null, extMask: number = RTEXT_FILTER.SKIP_STATS): LinkResult {
    const w = this.conn.writer.reset();
    const at = w.reserve(NLMSG_HDRLEN + IFINFOMSG.size);
    w.u16at(at + H.nlmsg_type, RTM.GETLINK);
    w.u16at(at + H.nlmsg_flags, NLM_F.REQUEST | NLM_F.ACK | (name === null ? NLM_F.DUMP : 0));
    w.u32at(at + H.nlmsg_seq, this.conn.nextSeq());
    if (name !== null) w.string(Buffer.byteLength(name) >= IFNAMSIZ ? 53 : 3, name);
    w.u32(29, extMask);
    w.u32at(at + H.nlmsg_len, w.len - at);
    const replies: LinkReply[] = [];
    const out = this.conn.transact(w.bytesView(), m => {
      const r = decodeLinkMessage(m);
      if (r) replies.push(r);
    });
    if (out.error === 0) return { ok: true, replies, warning: out.extack, interrupted: out.interrupted, done: out.end === 'done' };
    return {
      ok: false, errno: -out.error, source: out.source ?? 'kernel', extack: out.extack,
      offending: [], missing: [], replies, done: out.end === 'done',
    };
  }

  close(): void {
    this.conn.close();
  }
}
