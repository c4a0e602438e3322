/**
 * The CLI's view of one device: raw SIOCETHTOOL requests in exactly the order and shape
 * ethtool's ioctl path issues them, each answering the negated errno instead of throwing, so
 * every command can reproduce ethtool's own error lines and exit codes.
 */
import type { Transport } from '../ffi/transport';
import { decode, encode, request, StructLayout, Decoded } from '../ethtool/layout';
import * as S from '../ethtool/structs';
import { ETHTOOL } from '../ethtool/constants';

const ENODEV = 19;
const EOPNOTSUPP = 95;

export type Fields = Record<string, number>;

/** Outcome of a fixed-size GET: the decoded struct, or the errno. */
export type Got<T = Fields> = { ok: true; v: T; buf: Uint8Array } | { ok: false; errno: number };

export function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export class Dev {
  /** What the kernel looks up: it cuts an interface name at the first ':' (alias syntax). */
  private readonly kname: string;
  /**
   * errno of the last failed request. Where ethtool reports a failure without a syscall of
   * its own, it prints whatever errno was left behind: the last failed ioctl's, or — when
   * none failed — the EAFNOSUPPORT of its refused netlink socket (ioctl path).
   */
  lastErrno = 97;

  constructor(readonly name: string, private readonly transport: () => Transport) {
    const colon = name.indexOf(':');
    this.kname = colon >= 0 ? name.slice(0, colon) : name;
  }

  /** One request; >= 0 is the kernel's answer, < 0 the negated errno. Never throws. */
  ioctl(buf: Uint8Array): number {
    let r: number;
    try {
      r = this.transport().ioctl(this.kname, buf);
    } catch (e) {
      const errno = (e as { errno?: unknown }).errno;
      if (typeof errno === 'number' && errno > 0) r = -errno;
      else if (this.kname.length === 0) r = -ENODEV;
      else throw e;
    }
    if (r < 0) this.lastErrno = -r;
    return r;
  }

  async ioctlAsync(buf: Uint8Array): Promise<number> {
    const t = this.transport();
    if (!t.ioctlAsync) return this.ioctl(buf);
    try {
      return await t.ioctlAsync(this.kname, buf);
    } catch (e) {
      const errno = (e as { errno?: unknown }).errno;
      if (typeof errno === 'number' && errno > 0) return -errno;
      throw e;
    }
  }

  /** GET of a fixed struct whose first u32 is the command. */
  get<T = Fields>(layout: StructLayout, cmd: number): Got<T> {
    const buf = request(layout, cmd);
    const r = this.ioctl(buf);
    if (r < 0) return { ok: false, errno: -r };
    return { ok: true, v: decode(layout, buf) as unknown as T, buf };
  }

  /** SET of a fixed struct from decoded values (the command field is forced). */
  set(layout: StructLayout, cmd: number, values: Decoded | Fields): number {
    const buf = request(layout, cmd);
    const { cmd: _c, ...rest } = values as Record<string, unknown>;
    encode(layout, rest as Decoded, buf);
    return this.ioctl(buf);
  }

  /** ETHTOOL_GVALUE-style request: { cmd, data }. */
  value(cmd: number, data = 0): { r: number; data: number } {
    const buf = request(S.ethtool_value, cmd);
    view(buf).setUint32(4, data >>> 0, true);
    const r = this.ioctl(buf);
    return { r, data: view(buf).getUint32(4, true) };
  }

  /**
   * A string set as ethtool reads it: GSSET_INFO for the count (falling back to the
   * GDRVINFO field at `drvinfoField` when GSSET_INFO is not supported), then GSTRINGS
   * (skipped for an empty set). Names keep all 32 bytes unless `nulTerminate` cuts them at
   * byte 31 as ethtool does for feature names.
   */
  stringSet(ss: number, drvinfoField: string | null, nulTerminate: boolean): { ok: true; names: string[] } | { ok: false; errno: number } {
    const I = S.ethtool_sset_info;
    const info = request(I, ETHTOOL.GSSET_INFO, 4);
    view(info).setBigUint64(8, 1n << BigInt(ss), true);
    let len: number;
    const r = this.ioctl(info);
    if (r >= 0) {
      len = view(info).getBigUint64(8, true) !== 0n ? view(info).getUint32(16, true) : 0;
    } else if (-r === EOPNOTSUPP && drvinfoField) {
      const d = this.get(S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
      if (!d.ok) return d;
      len = d.v[drvinfoField];
    } else {
      return { ok: false, errno: -r };
    }
    const names: string[] = [];
    if (len === 0) return { ok: true, names };
    const G = S.ethtool_gstrings;
    const buf = request(G, ETHTOOL.GSTRINGS, len * S.ETH_GSTRING_LEN);
    view(buf).setUint32(4, ss, true);
    view(buf).setUint32(8, len, true);
    const g = this.ioctl(buf);
    if (g < 0) return { ok: false, errno: -g };
    const base = G.flex!.offset;
    for (let i = 0; i < len; i++) {
      const off = base + i * S.ETH_GSTRING_LEN;
      const max = nulTerminate ? S.ETH_GSTRING_LEN - 1 : S.ETH_GSTRING_LEN;
      let end = off;
      while (end < off + max && buf[end] !== 0) end++;
      names.push(Buffer.from(buf.buffer, buf.byteOffset + off, end - off).toString('utf8'));
    }
    return { ok: true, names };
  }
}
