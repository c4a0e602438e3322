/**
 * Command numbers and flag values from <linux/ethtool.h>, each checked against the header by the
 * native probe (native/layout.c, test/core-layout.test.ts).
 */
/** Every SIOCETHTOOL command number of <linux/ethtool.h>, by its name without the ETHTOOL_ prefix. */
export const ETHTOOL = {
  GSET: 0x01, SSET: 0x02, GDRVINFO: 0x03, GREGS: 0x04, GWOL: 0x05, SWOL: 0x06, GMSGLVL: 0x07, SMSGLVL: 0x08,
  NWAY_RST: 0x09, GLINK: 0x0a, GEEPROM: 0x0b, SEEPROM: 0x0c, GCOALESCE: 0x0e, SCOALESCE: 0x0f,
  GRINGPARAM: 0x10, SRINGPARAM: 0x11, GPAUSEPARAM: 0x12, SPAUSEPARAM: 0x13, GRXCSUM: 0x14, SRXCSUM: 0x15,
  GTXCSUM: 0x16, STXCSUM: 0x17, GSG: 0x18, SSG: 0x19, TEST: 0x1a, GSTRINGS: 0x1b, PHYS_ID: 0x1c, GSTATS: 0x1d,
  GTSO: 0x1e, STSO: 0x1f, GPERMADDR: 0x20, GUFO: 0x21, SUFO: 0x22, GGSO: 0x23, SGSO: 0x24, GFLAGS: 0x25,
  SFLAGS: 0x26, GPFLAGS: 0x27, SPFLAGS: 0x28, GRXFH: 0x29, SRXFH: 0x2a, GGRO: 0x2b, SGRO: 0x2c, GRXRINGS: 0x2d,
  GRXCLSRLCNT: 0x2e, GRXCLSRULE: 0x2f, GRXCLSRLALL: 0x30, SRXCLSRLDEL: 0x31, SRXCLSRLINS: 0x32, FLASHDEV: 0x33,
  RESET: 0x34, SRXNTUPLE: 0x35, GRXNTUPLE: 0x36, GSSET_INFO: 0x37, GRXFHINDIR: 0x38, SRXFHINDIR: 0x39,
  GFEATURES: 0x3a, SFEATURES: 0x3b, GCHANNELS: 0x3c, SCHANNELS: 0x3d, SET_DUMP: 0x3e, GET_DUMP_FLAG: 0x3f,
  GET_DUMP_DATA: 0x40, GET_TS_INFO: 0x41, GMODULEINFO: 0x42, GMODULEEEPROM: 0x43, GEEE: 0x44, SEEE: 0x45,
  GRSSH: 0x46, SRSSH: 0x47, GTUNABLE: 0x48, STUNABLE: 0x49, GPHYSTATS: 0x4a, PERQUEUE: 0x4b,
  GLINKSETTINGS: 0x4c, SLINKSETTINGS: 0x4d, PHY_GTUNABLE: 0x4e, PHY_STUNABLE: 0x4f, GFECPARAM: 0x50,
  SFECPARAM: 0x51,
} as const;

export type EthtoolCmdName = keyof typeof ETHTOOL;

/** Firmware dumps, flashing and per-queue requests (struct ethtool_dump, ethtool_flash, ethtool_per_queue_op). */
export const ETH_FW_DUMP_DISABLE = 0;
export const ETHTOOL_FLASH_ALL_REGIONS = 0;
export const ETHTOOL_FLASH_MAX_FILENAME = 128;
export const MAX_NUM_QUEUE = 4096;

/** enum tunable_type_id, by name without ETHTOOL_TUNABLE_ (the types PHY tunables use). */
export const TUNABLE_TYPE = { U8: 1, U16: 2, U32: 3 } as const;
/** enum phy_tunable_id, by name without ETHTOOL_PHY_. */
export const PHY_TUNABLE = { DOWNSHIFT: 1, FAST_LINK_DOWN: 2, EDPD: 3 } as const;
/** The PHY tunables' special values (DOWNSHIFT_DEV_*, ETHTOOL_PHY_FAST_LINK_DOWN_*, ETHTOOL_PHY_EDPD_*). */
export const PHY_TUNABLE_VALUE = {
  DOWNSHIFT_DEV_DEFAULT_COUNT: 0xff, DOWNSHIFT_DEV_DISABLE: 0,
  ETHTOOL_PHY_FAST_LINK_DOWN_ON: 0, ETHTOOL_PHY_FAST_LINK_DOWN_OFF: 0xff,
  ETHTOOL_PHY_EDPD_DFLT_TX_MSECS: 0xffff, ETHTOOL_PHY_EDPD_NO_TX: 0xfffe, ETHTOOL_PHY_EDPD_DISABLE: 0,
} as const;

/** enum ethtool_stringset */
export const ETH_SS = {
  TEST: 0, STATS: 1, PRIV_FLAGS: 2, NTUPLE_FILTERS: 3, FEATURES: 4, RSS_HASH_FUNCS: 5,
  TUNABLES: 6, PHY_STATS: 7, PHY_TUNABLES: 8, LINK_MODES: 9, MSG_CLASSES: 10, WOL_MODES: 11,
  SOF_TIMESTAMPING: 12, TS_TX_TYPES: 13, TS_RX_FILTERS: 14, UDP_TUNNEL_TYPES: 15, STATS_STD: 16,
  STATS_ETH_PHY: 17, STATS_ETH_MAC: 18, STATS_ETH_CTRL: 19, STATS_RMON: 20,
} as const;

/** ETH_SS_COUNT as ethtool 6.1 knows it: it neither asks for nor names a later string set. */
export const ETH_SS_COUNT_ETHTOOL = 21;

/** enum ethtool_test_flags */
export const ETH_TEST_FL = { OFFLINE: 1 << 0, FAILED: 1 << 1, EXTERNAL_LB: 1 << 2, EXTERNAL_LB_DONE: 1 << 3 } as const;

/** Legacy ETHTOOL_GFLAGS bits */
export const ETH_FLAG = { TXVLAN: 1 << 7, RXVLAN: 1 << 8, LRO: 1 << 15, NTUPLE: 1 << 27, RXHASH: 1 << 28 } as const;

/** SFEATURES return bits */
export const ETHTOOL_F = { UNSUPPORTED: 1 << 0, WISH: 1 << 1, COMPAT: 1 << 2 } as const;

/** Wake-on-LAN option bits (WAKE_*) */
export const WAKE = { PHY: 1 << 0, UCAST: 1 << 1, MCAST: 1 << 2, BCAST: 1 << 3, ARP: 1 << 4, MAGIC: 1 << 5, MAGICSECURE: 1 << 6, FILTER: 1 << 7 } as const;

export const DUPLEX = { HALF: 0x00, FULL: 0x01, UNKNOWN: 0xff } as const;
export const PORT = { TP: 0x00, AUI: 0x01, MII: 0x02, FIBRE: 0x03, BNC: 0x04, DA: 0x05, NONE: 0xef, OTHER: 0xff } as const;
export const XCVR = { INTERNAL: 0x00, EXTERNAL: 0x01 } as const;
export const AUTONEG = { DISABLE: 0x00, ENABLE: 0x01 } as const;
export const ETH_TP_MDI = { INVALID: 0x00, MDI: 0x01, X: 0x02, AUTO: 0x03 } as const;
/** enum ethtool_fec_config_bits, as masks (ETHTOOL_FEC_*). */
export const FEC = { NONE: 1 << 0, AUTO: 1 << 1, OFF: 1 << 2, RS: 1 << 3, BASER: 1 << 4, LLRS: 1 << 5 } as const;
export const SPEED_UNKNOWN = 0xffffffff;
/** Largest nwords ETHTOOL_GLINKSETTINGS may report (SCHAR_MAX). */
export const LINK_MODE_MASK_MAX_KERNEL_NU32 = 127;

// ---- RSS and RX flow classification ------------------------------------------------------------
/** Flow types (TCP_V4_FLOW …), by their C name without _FLOW. */
export const FLOW = {
  TCP_V4: 0x01, UDP_V4: 0x02, SCTP_V4: 0x03, AH_ESP_V4: 0x04, TCP_V6: 0x05, UDP_V6: 0x06, SCTP_V6: 0x07,
  AH_ESP_V6: 0x08, AH_V4: 0x09, ESP_V4: 0x0a, AH_V6: 0x0b, ESP_V6: 0x0c, IPV4_USER: 0x0d, IPV6_USER: 0x0e,
  IPV4: 0x10, IPV6: 0x11, ETHER: 0x12,
} as const;
/** Flag bits of a flow type (FLOW_EXT, FLOW_MAC_EXT, FLOW_RSS). */
export const FLOW_FLAG = { EXT: 0x80000000, MAC_EXT: 0x40000000, RSS: 0x20000000 } as const;
/** Flow hash fields (RXH_*), as GRXFH/SRXFH's data. */
export const RXH = {
  L2DA: 1 << 1, VLAN: 1 << 2, L3_PROTO: 1 << 3, IP_SRC: 1 << 4, IP_DST: 1 << 5, L4_B_0_1: 1 << 6,
  L4_B_2_3: 1 << 7, DISCARD: 0x80000000,
} as const;
/** Rule locations (RX_CLS_LOC_*). */
export const RX_CLS_LOC = { SPECIAL: 0x80000000, ANY: 0xffffffff, FIRST: 0xfffffffe, LAST: 0xfffffffd } as const;
/** ring_cookie actions (u64): drop, wake-on-LAN. */
export const RX_CLS_FLOW_DISC = 0xffffffffffffffffn;
export const RX_CLS_FLOW_WAKE = 0xfffffffffffffffen;
/** ring_cookie: the queue (low 32 bits) and the VF + 1 (bits 32..39). */
export const RX_FLOW_SPEC = { RING: 0xffffffffn, RING_VF: 0xff00000000n, RING_VF_OFF: 32n } as const;
/** usr_ip4_spec.ip_ver's one value. */
export const ETH_RX_NFC_IP4 = 1;
/** SRSSH rss_context: allocate a new context. SRSSH/SRXFHINDIR size: leave the table as it is. */
export const ETH_RXFH_CONTEXT_ALLOC = 0xffffffff;
export const ETH_RXFH_INDIR_NO_CHANGE = 0xffffffff;
