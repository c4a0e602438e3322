/**
 * ethtool's `--debug` bit 1 (0x2, "netlink messages"): a summary of every datagram its netlink
 * sockets send and receive, on stdout —
 *
 *     sending genetlink packet (32 bytes):
 *         msg length 32 ethool ETHTOOL_MSG_LINKMODES_GET
 *     received genetlink packet (36 bytes):
 *         msg length 36 error errno=0
 *
 * ethtool prints a received datagram when it reads it and runs the reply callbacks (which print
 * the command's own output) right after; ethkit reads a whole answer before its printers run, so
 * received datagrams wait here until the reply they carry is printed (`beforeReply`), and the
 * rest goes out before the next request is sent or when the command ends (`flush`).
 *
 * The hex dumps (bits 2 and 3) and the pretty printer (bit 4) are not reproduced.
 */
import type { Out } from '../out';
import type { NetlinkTracer } from '../../ethtool/netlink/conn';
import { GENL_ID_CTRL, NLMSG, NLMSGHDR, RTM_NAMES } from '../../ethtool/netlink/constants';
import { KERNEL_MESSAGES_BY_ID, USER_MESSAGES_BY_ID } from '../../ethtool/netlink/catalog';

/** ethtool's DEBUG_NL_MSGS bit. */
export const DEBUG_NL_MSGS = 1;

/** Is bit `bit` set in a --debug mask (ethtool's debug_on)? */
export function debugOn(mask: bigint, bit: number): boolean {
  return ((mask >> BigInt(bit)) & 1n) === 1n;
}

type Family = 'genetlink' | 'rtnetlink';

export class DebugTrace {
  private pending: { tag: number; text: string }[] = [];
  /** Replies of the current answer are being printed (beforeReply was called, endAnswer not yet). */
  private processing = false;
  /** A request made while a reply is printed (a string set a printer needs): shown at once. */
  private nested = false;
  /** The ethtool family's id, once resolved (its messages are named). */
  ethnlFamily = -1;

  constructor(private readonly out: Out) {}

  /** The tracer for one socket (generic or route netlink); all share this trace's order. */
  tracer(family: Family): NetlinkTracer {
    return {
      sent: bytes => {
        if (this.processing) this.nested = true;
        else this.flush();
        this.out.print(this.block('sending', family, bytes, bytes.byteLength, true));
      },
      received: (bytes, n, delivered) => {
        const text = this.block('received', family, bytes, n, false);
        if (this.nested) this.out.print(text);
        else this.pending.push({ tag: delivered, text });
      },
    };
  }

  /** Print what was received before reply `i` (0-based) of the current answer. */
  beforeReply(i: number): void {
    this.nested = false;
    this.processing = true;
    while (this.pending.length && this.pending[0].tag <= i) this.out.print(this.pending.shift()!.text);
  }

  /** The current answer's replies are all printed: what followed them (its ack) now. */
  endAnswer(): void {
    this.nested = false;
    this.processing = false;
    this.flush();
  }

  /** Everything not yet printed (before a new request, and at the end). */
  flush(): void {
    if (this.processing) return;
    for (const p of this.pending) this.out.print(p.text);
    this.pending = [];
  }

  private block(dir: string, family: Family, b: Uint8Array, len: number, outgoing: boolean): string {
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let s = `${dir} ${family} packet (${len} bytes):\n`;
    let off = 0;
    // mnl_nlmsg_ok / mnl_nlmsg_next
    while (len - off >= NLMSGHDR.size) {
      const mlen = dv.getUint32(off + NLMSGHDR.nlmsg_len, true);
      if (mlen < NLMSGHDR.size || mlen > len - off) break;
      s += `    msg length ${mlen}${this.summary(family, dv, off, mlen, outgoing)}\n`;
      off += (mlen + 3) & ~3;
    }
    return s;
  }

  private summary(family: Family, dv: DataView, off: number, mlen: number, outgoing: boolean): string {
    const type = dv.getUint16(off + NLMSGHDR.nlmsg_type, true);
    if (type < NLMSG.MIN_TYPE) {
      switch (type) {
        case NLMSG.NOOP: return ' noop';
        case NLMSG.ERROR: return mlen < NLMSGHDR.size + 20 ? ' error malformed' : ` error errno=${dv.getInt32(off + NLMSGHDR.size, true)}`;
        case NLMSG.DONE: return ' done';
        case NLMSG.OVERRUN: return ' overrun';
        default: return ` type ${type}`;
      }
    }
    if (family === 'rtnetlink') {
      const name = RTM_NAMES[type];
      return name ? ` ${name}` : ` type ${type}`;
    }
    if (type === this.ethnlFamily) {
      // (sic: ethtool's label)
      if (mlen < NLMSGHDR.size + 4) return ' ethool malformed';
      const cmd = dv.getUint8(off + NLMSGHDR.size);
      const m = (outgoing ? USER_MESSAGES_BY_ID : KERNEL_MESSAGES_BY_ID).get(cmd);
      return m ? ` ethool ${m.cname}` : ` ethool cmd ${cmd}`;
    }
    return type === GENL_ID_CTRL ? ' genl-ctrl' : '';
  }
}
