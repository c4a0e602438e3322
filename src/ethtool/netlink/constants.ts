/**
 * Netlink, generic netlink and ethtool netlink constants (<linux/netlink.h>,
 * <linux/genetlink.h>, <linux/ethtool_netlink.h>, <linux/ethtool.h>), declared once.
 * native/nlprobe.c prints each as the compiler sees it; test/nl-layout.test.ts compares.
 */

/** struct nlmsghdr flags. */
export const NLM_F = {
  REQUEST: 0x01, MULTI: 0x02, ACK: 0x04, ECHO: 0x08, DUMP_INTR: 0x10, DUMP_FILTERED: 0x20,
  ROOT: 0x100, MATCH: 0x200, ATOMIC: 0x400, DUMP: 0x300,
  REPLACE: 0x100, EXCL: 0x200, CREATE: 0x400, APPEND: 0x800,
  /** In an NLMSG_ERROR: the request was not copied back / extended ack TLVs follow. */
  CAPPED: 0x100, ACK_TLVS: 0x200,
} as const;

/** Reserved message types. */
export const NLMSG = { NOOP: 0x1, ERROR: 0x2, DONE: 0x3, OVERRUN: 0x4, MIN_TYPE: 0x10 } as const;

/** struct nlmsghdr, struct genlmsghdr, struct nlmsgerr: size and field offsets. */
export const NLMSGHDR = { size: 16, nlmsg_len: 0, nlmsg_type: 4, nlmsg_flags: 6, nlmsg_seq: 8, nlmsg_pid: 12 } as const;
export const GENLMSGHDR = { size: 4, cmd: 0, version: 1, reserved: 2 } as const;
export const NLMSGERR_LAYOUT = { size: 20, error: 0, msg: 4 } as const;
export const NLMSG_HDRLEN = NLMSGHDR.size;
export const GENL_HDRLEN = GENLMSGHDR.size;
export const NLMSGERR_SIZE = NLMSGERR_LAYOUT.size;

/** enum nlmsgerr_attrs: extended ack TLVs. */
export const NLMSGERR_ATTR = { MSG: 1, OFFS: 2, COOKIE: 3, POLICY: 4, MISS_TYPE: 5, MISS_NEST: 6 } as const;

/** enum netlink_policy_type_attr (NLMSGERR_ATTR_POLICY's and CTRL_ATTR_POLICY's content). */
export const NL_POLICY_TYPE_ATTR = {
  TYPE: 1, MIN_VALUE_S: 2, MAX_VALUE_S: 3, MIN_VALUE_U: 4, MAX_VALUE_U: 5, MIN_LENGTH: 6, MAX_LENGTH: 7,
  POLICY_IDX: 8, POLICY_MAXTYPE: 9, BITFIELD32_MASK: 10, PAD: 11, MASK: 12,
} as const;

/** enum netlink_attribute_type (NL_POLICY_TYPE_ATTR_TYPE's values). */
export const NL_ATTR_TYPE = {
  INVALID: 0, FLAG: 1, U8: 2, U16: 3, U32: 4, U64: 5, S8: 6, S16: 7, S32: 8, S64: 9,
  BINARY: 10, STRING: 11, NUL_STRING: 12, NESTED: 13, NESTED_ARRAY: 14, BITFIELD32: 15,
} as const;

/** Generic netlink. */
export const GENL_ID_CTRL = 0x10;
export const GENL_CMD_CAP = { ADMIN_PERM: 0x01, DO: 0x02, DUMP: 0x04, HASPOL: 0x08, UNS_ADMIN_PERM: 0x10 } as const;
export const CTRL_CMD = {
  NEWFAMILY: 1, DELFAMILY: 2, GETFAMILY: 3, NEWOPS: 4, DELOPS: 5, GETOPS: 6,
  NEWMCAST_GRP: 7, DELMCAST_GRP: 8, GETMCAST_GRP: 9, GETPOLICY: 10,
} as const;
/** The controller's genlmsghdr version, as ethtool sends it. */
export const CTRL_VERSION = 1;

/** ethtool's family. */
export const ETHTOOL_GENL_NAME = 'ethtool';
export const ETHTOOL_GENL_VERSION = 1;
export const ETHTOOL_MCGRP_MONITOR_NAME = 'monitor';

/** ETHTOOL_A_HEADER_FLAGS bits. */
export const ETHTOOL_FLAG = { COMPACT_BITSETS: 1 << 0, OMIT_REPLY: 1 << 1, STATS: 1 << 2 } as const;

/** enum ethtool_stringset: one catalog, ../constants.ts. */
export { ETH_SS } from '../constants';
import type { ETH_SS } from '../constants';
export type EthSsName = keyof typeof ETH_SS;

/** The rtnetlink link messages by type (the ones ethtool names). */
export const RTM_NAMES: Readonly<Record<number, string>> = { 16: 'RTM_NEWLINK', 17: 'RTM_DELLINK', 18: 'RTM_GETLINK', 19: 'RTM_SETLINK' };
