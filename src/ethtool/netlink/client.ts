/**
 * The ethtool netlink client: requests by message name with attributes by name, answers
 * decoded with the catalog's tables, errors as { errno, extack }, and notifications.
 *
 *   const nl = EthtoolNetlink.open();                  // socket + family lookup; throws if unavailable
 *   if (nl.has('RINGS_GET')) {
 *     const r = nl.get('RINGS_GET', 'eth0');           // { ok, replies: [{ message, attrs }] }
 *     if (r.ok) console.log(r.replies[0].attrs.rx);
 *   }
 *   nl.set('CHANNELS_SET', 'veth0', { combined_count: 2 });
 *   nl.dump('LINKINFO_GET');                           // every device
 *   const mon = nl.monitor();                          // the "monitor" multicast group
 *   const ntf = await mon.next(1000);                  // { message: 'FEATURES_NTF', attrs, dev }
 *   mon.close(); nl.close();
 *
 * EthtoolNetlink.open() fails with NetlinkSocketError (src/ffi/netlink.ts) when no netlink
 * socket can be had (EAFNOSUPPORT without netlink) and with FamilyError when the kernel has no
 * ethtool family: in both cases a caller falls back to the ioctl path, as ethtool does.
 */
import { openNetlink, NetlinkTransport } from './transport';
import { MulticastReader } from './multicast';
import { Attrs, AttrSet, attrPath, decodeAttrs, defineAttrs } from './attrs';
import { KERNEL_MESSAGES_BY_ID, UserMessage, userMessage } from './catalog';
import { ETHTOOL_FLAG, ETHTOOL_GENL_VERSION, ETHTOOL_MCGRP_MONITOR_NAME, GENL_CMD_CAP, GENL_HDRLEN, NLM_F, NLMSG_HDRLEN } from './constants';
import { NetlinkConnection, NetlinkTracer, ETIMEDOUT } from './conn';
import { GenlFamily, familyHas, resolveFamily } from './family';
import { Extack, NlMessage, buildGenl, genlHeader, parseMessages } from './message';
import { HeaderFlagsPolicy, headerFlagsPolicy } from './policy';
import { RouteNetlink } from './rtnl';

const EBADF = 9;
const ENOBUFS = 105;

/** A device by name, by ifindex, or both. */
export type DevRef = string | number | { name?: string; index?: number };

export interface HeaderOptions {
  /** ETHTOOL_FLAG_* bits for the request header. */
  flags?: number;
  /** ETHTOOL_FLAG_COMPACT_BITSETS: bitsets in replies without names. */
  compact?: boolean;
  /** ETHTOOL_FLAG_OMIT_REPLY: no reply message to a SET (FEATURES_SET). */
  omitReply?: boolean;
  /** ETHTOOL_FLAG_STATS: include statistics (PAUSE_GET, FEC_GET). */
  stats?: boolean;
}

export interface RequestOptions {
  /** NLM_F_DUMP: one reply per device. */
  dump?: boolean;
  /** Extra nlmsg_flags bits. */
  nlmFlags?: number;
  timeoutMs?: number;
}

export interface Reply {
  /** The kernel message id (genlmsghdr cmd). */
  cmd: number;
  /** Its name, e.g. RINGS_GET_REPLY, or "#<id>" for one newer than the catalog. */
  message: string;
  attrs: Attrs;
}

export type Result =
  | {
    ok: true; replies: Reply[]; warning: Extack | null; interrupted: boolean;
    /** The answer ended with the NLMSG_DONE of a dump (which may carry the warning). */
    done: boolean;
  }
  | {
    ok: false;
    /** Positive errno: the kernel's (source 'kernel') or the socket's (ETIMEDOUT, EBADF…). */
    errno: number;
    source: 'kernel' | 'socket';
    extack: Extack | null;
    /** The attribute NLMSGERR_ATTR_OFFS points at, by name (e.g. ['header', 'dev_name']). */
    offending: string[];
    /** The attribute NLMSGERR_ATTR_MISS_TYPE names, with the path of its nest. */
    missing: string[];
    replies: Reply[];
    /** The error came in the NLMSG_DONE that ended a dump (ethtool 6.1 ignores those). */
    done: boolean;
  };

export interface OpenOptions {
  /** A transport to use instead of a new netlink socket (tests plug fakes in here). */
  transport?: NetlinkTransport;
  /** The transport for monitor(); default: a new netlink socket. */
  monitorTransport?: () => NetlinkTransport;
  /** The transport for route() (NETLINK_ROUTE); default: a new rtnetlink socket. */
  routeTransport?: () => NetlinkTransport;
  timeoutMs?: number;
  /** Sees the datagrams of the generic netlink socket, and of the route one (ethtool's --debug). */
  tracer?: NetlinkTracer;
  routeTracer?: NetlinkTracer;
}

const EMPTY = defineAttrs('unknown', '', []);

function kernelTable(cmd: number): { message: string; attrs: AttrSet } {
  const m = KERNEL_MESSAGES_BY_ID.get(cmd);
  return m ? { message: m.name, attrs: m.attrs } : { message: `#${cmd}`, attrs: EMPTY };
}

/** The request header for `dev` with `opts`' flags (FLAGS only when non-zero, as ethtool). */
export function requestHeader(dev: DevRef | undefined, opts: HeaderOptions = {}): Attrs {
  const h: Attrs = {};
  if (typeof dev === 'string') h.dev_name = dev;
  else if (typeof dev === 'number') h.dev_index = dev;
  else if (dev) {
    if (dev.index !== undefined) h.dev_index = dev.index;
    if (dev.name !== undefined) h.dev_name = dev.name;
  }
  let flags = opts.flags ?? 0;
  if (opts.compact) flags |= ETHTOOL_FLAG.COMPACT_BITSETS;
  if (opts.omitReply) flags |= ETHTOOL_FLAG.OMIT_REPLY;
  if (opts.stats) flags |= ETHTOOL_FLAG.STATS;
  if (flags) h.flags = flags;
  return h;
}

/** The table `path` (attribute names from `set`) leads to. */
function tableAt(set: AttrSet, path: readonly string[]): AttrSet | undefined {
  let t: AttrSet | undefined = set;
  for (const name of path) t = t?.byName.get(name)?.nested;
  return t;
}

export class EthtoolNetlink {
  private closed = false;

  constructor(readonly conn: NetlinkConnection, readonly family: GenlFamily, private readonly opts: OpenOptions = {}) {}

  /** Open a socket (or use opts.transport) and resolve the ethtool family. */
  static open(opts: OpenOptions = {}): EthtoolNetlink {
    const transport = opts.transport ?? openNetlink();
    const conn = new NetlinkConnection(transport, opts.timeoutMs);
    conn.tracer = opts.tracer ?? null;
    try {
      return new EthtoolNetlink(conn, resolveFamily(conn, 'ethtool'), opts);
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  /** Does this kernel implement `msg`, for one device ('do') or as a dump? */
  has(msg: UserMessage | number, kind: 'do' | 'dump' = 'do'): boolean {
    return familyHas(this.family, msg, kind);
  }

  /** Does the kernel describe `msg`'s request policy (GENL_CMD_CAP_HASPOL)? */
  hasPolicy(msg: UserMessage): boolean {
    const def = userMessage(msg);
    return ((this.family.ops.get(def.id) ?? 0) & GENL_CMD_CAP.HASPOL) !== 0;
  }

  private readonly flagPolicies = new Map<string, HeaderFlagsPolicy>();

  /**
   * CTRL_CMD_GETPOLICY for `msg`: the validation mask of ETHTOOL_A_HEADER_FLAGS in its request
   * header (which ETHTOOL_FLAG_* bits the kernel accepts there), for its DO policy or, with
   * `dump`, its DUMP policy. Asked once per message and kind, as ethtool does.
   */
  headerFlagsPolicy(msg: UserMessage, opts: { dump?: boolean } = {}): HeaderFlagsPolicy {
    const key = `${msg}:${opts.dump ? 'dump' : 'do'}`;
    let p = this.flagPolicies.get(key);
    if (!p) {
      const def = userMessage(msg);
      const header = def.attrs.byName.get('header')?.id ?? 1;
      p = this.closed ? { mask: 0n, problem: null, error: -EBADF, extack: null }
        : headerFlagsPolicy(this.conn, this.family.id, def.id, header, opts.dump ?? false);
      this.flagPolicies.set(key, p);
    }
    return p;
  }

  /** The multicast group id of "monitor" (undefined if the kernel has none). */
  get monitorGroup(): number | undefined {
    return this.family.groups.get(ETHTOOL_MCGRP_MONITOR_NAME);
  }

  /** Send `msg` with `attrs` (header included, as the caller wants it) and decode the answer. */
  request(msg: UserMessage, attrs: Attrs, opts: RequestOptions = {}): Result {
    if (this.closed) return fail(-EBADF, 'socket', null, [], [], [], false);
    const def = userMessage(msg);
    let flags = NLM_F.REQUEST | NLM_F.ACK | (opts.nlmFlags ?? 0);
    if (opts.dump) flags |= NLM_F.DUMP;
    const bytes = buildGenl(this.conn.writer, {
      family: this.family.id, cmd: def.id, version: ETHTOOL_GENL_VERSION, flags,
      seq: this.conn.nextSeq(), attrs: def.attrs, values: attrs,
    });
    const replies: Reply[] = [];
    const out = this.conn.transact(bytes, m => {
      if (m.type !== this.family.id) return;
      replies.push(decodeReply(m));
    }, opts.timeoutMs);
    if (out.error === 0) return { ok: true, replies, warning: out.extack, interrupted: out.interrupted, done: out.end === 'done' };
    // Name what the extended ack points at while the request bytes are still in the writer.
    const x = out.extack;
    const base = NLMSG_HDRLEN + GENL_HDRLEN;
    const offending = x?.offset !== undefined ? attrPath(def.attrs, bytes, base, bytes.byteLength, x.offset) : [];
    let missing: string[] = [];
    if (x?.missingType !== undefined) {
      const nest = x.missingNest !== undefined ? attrPath(def.attrs, bytes, base, bytes.byteLength, x.missingNest) : [];
      const name = tableAt(def.attrs, nest)?.byId.get(x.missingType)?.name ?? `#${x.missingType}`;
      missing = [...nest, name];
    }
    return fail(out.error, out.source ?? 'kernel', x, offending, missing, replies, out.end === 'done');
  }

  /** A GET for one device. */
  get(msg: UserMessage, dev: DevRef, attrs: Attrs = {}, hdr: HeaderOptions = {}): Result {
    return this.request(msg, { header: requestHeader(dev, hdr), ...attrs });
  }

  /** A SET (or ACT) for one device. */
  set(msg: UserMessage, dev: DevRef, attrs: Attrs, hdr: HeaderOptions = {}): Result {
    return this.request(msg, { header: requestHeader(dev, hdr), ...attrs });
  }

  /** A dump: one reply per device (an empty request header, as ethtool sends for "*"). */
  dump(msg: UserMessage, attrs: Attrs = {}, hdr: HeaderOptions = {}): Result {
    return this.request(msg, { header: requestHeader(undefined, hdr), ...attrs }, { dump: true });
  }

  /**
   * String sets by id → strings (index order): global ones without `dev`, a device's with it.
   * `ids` limits the request to those sets (else the kernel sends all it has).
   */
  stringSets(dev?: DevRef, ids?: readonly number[]): Map<number, string[]> {
    const attrs: Attrs = { header: requestHeader(dev) };
    if (ids) attrs.stringsets = { stringset: ids.map(id => ({ id })) };
    const r = this.request('STRSET_GET', attrs);
    if (!r.ok) throw Object.assign(new Error(`STRSET_GET failed: errno ${r.errno}${r.extack?.message ? ` (${r.extack.message})` : ''}`), { errno: r.errno, extack: r.extack });
    return stringSetsOf(r.replies[0]?.attrs ?? {});
  }

  private readonly globalSets = new Map<number, string[]>();

  /**
   * The names of the bits of bitset attribute `attr` of `msg`: the string set the catalog names
   * for it, a device's own (PRIV_FLAGS) or a global one (FEATURES, LINK_MODES…, cached).
   */
  bitNames(msg: UserMessage, attr: string, dev?: DevRef): string[] {
    const def = userMessage(msg).attrs.byName.get(attr);
    if (!def || def.type !== 'bitset' || def.strset === undefined) throw new TypeError(`${msg}.${attr} is not a bitset with a string set`);
    if (def.perDevice) {
      if (dev === undefined) throw new TypeError(`${msg}.${attr} is named per device: give the device`);
      return this.stringSets(dev, [def.strset]).get(def.strset) ?? [];
    }
    return this.globalStringSet(def.strset);
  }

  /**
   * Every global string set in one STRSET_GET (ethtool's --monitor asks so before it listens),
   * kept for globalStringSet() and bitNames().
   */
  preloadGlobalStringSets(): void {
    for (const [id, names] of this.stringSets()) this.globalSets.set(id, names);
  }

  /** Global string set `id` (ETH_SS_*), by index; asked once per connection. Throws as stringSets(). */
  globalStringSet(id: number): string[] {
    let names = this.globalSets.get(id);
    if (!names) {
      names = this.stringSets(undefined, [id]).get(id) ?? [];
      this.globalSets.set(id, names);
    }
    return names;
  }

  /** Subscribe to the "monitor" group on a socket of its own. */
  monitor(opts: { dev?: string } = {}): Monitor {
    const group = this.monitorGroup;
    if (group === undefined) throw Object.assign(new Error('the ethtool family has no "monitor" multicast group'), { errno: 2 });
    const t = this.opts.monitorTransport ? this.opts.monitorTransport() : openNetlink();
    const r = t.addMembership(group);
    if (r < 0) {
      t.close();
      throw Object.assign(new Error(`cannot join the ethtool monitor group: errno ${-r}`), { errno: -r });
    }
    return new Monitor(t, this.family, opts.dev);
  }

  private rt: RouteNetlink | null = null;

  /**
   * The rtnetlink socket beside the generic one (ethtool's -P asks RTM_GETLINK there), opened
   * on first use and closed with this client. Throws NetlinkSocketError when it cannot be had.
   */
  route(): RouteNetlink {
    if (this.closed) throw Object.assign(new Error('the netlink client is closed'), { errno: EBADF });
    this.rt ??= RouteNetlink.open(this.opts.routeTransport?.(), this.opts.timeoutMs, this.opts.routeTracer ?? null);
    return this.rt;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rt?.close();
    this.rt = null;
    this.conn.close();
  }
}

function fail(error: number, source: 'kernel' | 'socket', extack: Extack | null, offending: string[], missing: string[], replies: Reply[], done: boolean): Result {
  return { ok: false, errno: -error, source, extack, offending, missing, replies, done };
}

/** Decode one ethtool family message with the catalog table of its kernel message id. */
export function decodeReply(m: NlMessage): Reply {
  const g = genlHeader(m);
  const t = kernelTable(g.cmd);
  return { cmd: g.cmd, message: t.message, attrs: decodeAttrs(t.attrs, m.buf, g.attrs, m.end, t.message) };
}

/** The string sets of a STRSET_GET reply: id → strings by index. */
export function stringSetsOf(attrs: Attrs): Map<number, string[]> {
  const out = new Map<number, string[]>();
  const sets = ((attrs.stringsets as Attrs | undefined)?.stringset as Attrs[] | undefined) ?? [];
  for (const s of sets) {
    const list: string[] = new Array((s.count as number | undefined) ?? 0).fill('');
    for (const e of ((s.strings as Attrs | undefined)?.string as Attrs[] | undefined) ?? []) {
      const i = e.index as number;
      if (i >= 0 && i < 1 << 20) list[i] = (e.value as string | undefined) ?? '';
    }
    out.set(s.id as number, list);
  }
  return out;
}


export interface Notification {
  cmd: number;
  /** e.g. FEATURES_NTF, CHANNELS_NTF. */
  message: string;
  attrs: Attrs;
  /** From the notification's header. */
  dev: { index?: number; name?: string };
  /** The attributes as sent (after the genlmsghdr), for readers that need their order across kinds. */
  raw: Uint8Array;
}

/**
 * Notifications of the ethtool "monitor" group, decoded. next() waits off the main thread
 * when the transport can (recvAsync); notifications lost to a full socket buffer (ENOBUFS)
 * are counted in `lost` and the stream goes on.
 */
export class Monitor {
  private readonly reader: MulticastReader<Notification>;

  constructor(transport: NetlinkTransport, family: GenlFamily, dev?: string) {
    this.reader = new MulticastReader(transport, (m, buf) => {
      if (m.type !== family.id) return null;
      const r = decodeReply(m);
      const h = (r.attrs.header as Attrs | undefined) ?? {};
      const d = { index: h.dev_index as number | undefined, name: h.dev_name as string | undefined };
      if (dev !== undefined && d.name !== dev) return null;
      return { cmd: r.cmd, message: r.message, attrs: r.attrs, dev: d, raw: buf.slice(genlHeader(m).attrs, m.end) };
    }, 'notifications');
  }

  /** Notifications lost to a full socket buffer. */
  get lost(): number { return this.reader.lost; }

  /** The next notification, or null when none came within `timeoutMs` or the monitor was closed. */
  next(timeoutMs?: number): Promise<Notification | null> { return this.reader.next(timeoutMs); }

  async *[Symbol.asyncIterator](): AsyncGenerator<Notification> {
    for (;;) {
      const n = await this.next();
      if (!n) return;
      yield n;
    }
  }

  close(): void { this.reader.close(); }
}
