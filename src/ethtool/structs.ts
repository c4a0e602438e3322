/**
 * The kernel's ethtool structs (<linux/ethtool.h>), each declared once. Field names are the
 * kernel's. native/layout.c prints the real sizes and offsets; test/layout.test.ts compares.
 */
import { defineStruct } from './layout';

export const ethtool_cmd = defineStruct('ethtool_cmd', [
  ['cmd', 'u32'], ['supported', 'u32'], ['advertising', 'u32'], ['speed', 'u16'], ['duplex', 'u8'],
  ['port', 'u8'], ['phy_address', 'u8'], ['transceiver', 'u8'], ['autoneg', 'u8'], ['mdio_support', 'u8'],
  ['maxtxpkt', 'u32'], ['maxrxpkt', 'u32'], ['speed_hi', 'u16'], ['eth_tp_mdix', 'u8'],
  ['eth_tp_mdix_ctrl', 'u8'], ['lp_advertising', 'u32'], ['reserved', 'u32[2]'],
]);

export const ethtool_drvinfo = defineStruct('ethtool_drvinfo', [
  ['cmd', 'u32'], ['driver', 'char[32]'], ['version', 'char[32]'], ['fw_version', 'char[32]'],
  ['bus_info', 'char[32]'], ['erom_version', 'char[32]'], ['reserved2', 'char[12]'],
  ['n_priv_flags', 'u32'], ['n_stats', 'u32'], ['testinfo_len', 'u32'], ['eedump_len', 'u32'],
  ['regdump_len', 'u32'],
]);

export const SOPASS_MAX = 6;
export const ethtool_wolinfo = defineStruct('ethtool_wolinfo', [
  ['cmd', 'u32'], ['supported', 'u32'], ['wolopts', 'u32'], ['sopass', 'u8[6]'],
]);

export const ethtool_value = defineStruct('ethtool_value', [['cmd', 'u32'], ['data', 'u32']]);

export const ethtool_regs = defineStruct('ethtool_regs', [
  ['cmd', 'u32'], ['version', 'u32'], ['len', 'u32'], ['data', 'u8[]'],
]);

export const ethtool_eeprom = defineStruct('ethtool_eeprom', [
  ['cmd', 'u32'], ['magic', 'u32'], ['offset', 'u32'], ['len', 'u32'], ['data', 'u8[]'],
]);

/** ETHTOOL_GET_DUMP_FLAG / GET_DUMP_DATA / SET_DUMP: the dump's header, then `len` data bytes. */
export const ethtool_dump = defineStruct('ethtool_dump', [
  ['cmd', 'u32'], ['version', 'u32'], ['flag', 'u32'], ['len', 'u32'], ['data', 'u8[]'],
]);

/** ETHTOOL_FLASHDEV: the region and a file name the kernel loads (relative to the firmware directory). */
export const ethtool_flash = defineStruct('ethtool_flash', [
  ['cmd', 'u32'], ['region', 'u32'], ['data', 'char[128]'],
]);

/** ETHTOOL_PERQUEUE: the sub-command, a MAX_NUM_QUEUE-bit queue mask, then one sub-command struct per queue in the mask. */
export const ethtool_per_queue_op = defineStruct('ethtool_per_queue_op', [
  ['cmd', 'u32'], ['sub_command', 'u32'], ['queue_mask', 'u32[128]'], ['data', 'u8[]'],
]);

export const ethtool_modinfo = defineStruct('ethtool_modinfo', [
  ['cmd', 'u32'], ['type', 'u32'], ['eeprom_len', 'u32'], ['reserved', 'u32[8]'],
]);

export const ethtool_coalesce = defineStruct('ethtool_coalesce', [
  ['cmd', 'u32'],
  ['rx_coalesce_usecs', 'u32'], ['rx_max_coalesced_frames', 'u32'],
  ['rx_coalesce_usecs_irq', 'u32'], ['rx_max_coalesced_frames_irq', 'u32'],
  ['tx_coalesce_usecs', 'u32'], ['tx_max_coalesced_frames', 'u32'],
  ['tx_coalesce_usecs_irq', 'u32'], ['tx_max_coalesced_frames_irq', 'u32'],
  ['stats_block_coalesce_usecs', 'u32'],
  ['use_adaptive_rx_coalesce', 'u32'], ['use_adaptive_tx_coalesce', 'u32'],
  ['pkt_rate_low', 'u32'],
  ['rx_coalesce_usecs_low', 'u32'], ['rx_max_coalesced_frames_low', 'u32'],
  ['tx_coalesce_usecs_low', 'u32'], ['tx_max_coalesced_frames_low', 'u32'],
  ['pkt_rate_high', 'u32'],
  ['rx_coalesce_usecs_high', 'u32'], ['rx_max_coalesced_frames_high', 'u32'],
  ['tx_coalesce_usecs_high', 'u32'], ['tx_max_coalesced_frames_high', 'u32'],
  ['rate_sample_interval', 'u32'],
]);

export const ethtool_ringparam = defineStruct('ethtool_ringparam', [
  ['cmd', 'u32'], ['rx_max_pending', 'u32'], ['rx_mini_max_pending', 'u32'],
  ['rx_jumbo_max_pending', 'u32'], ['tx_max_pending', 'u32'], ['rx_pending', 'u32'],
  ['rx_mini_pending', 'u32'], ['rx_jumbo_pending', 'u32'], ['tx_pending', 'u32'],
]);

export const ethtool_channels = defineStruct('ethtool_channels', [
  ['cmd', 'u32'], ['max_rx', 'u32'], ['max_tx', 'u32'], ['max_other', 'u32'], ['max_combined', 'u32'],
  ['rx_count', 'u32'], ['tx_count', 'u32'], ['other_count', 'u32'], ['combined_count', 'u32'],
]);

export const ethtool_pauseparam = defineStruct('ethtool_pauseparam', [
  ['cmd', 'u32'], ['autoneg', 'u32'], ['rx_pause', 'u32'], ['tx_pause', 'u32'],
]);

export const ETH_GSTRING_LEN = 32;
export const ethtool_gstrings = defineStruct('ethtool_gstrings', [
  ['cmd', 'u32'], ['string_set', 'u32'], ['len', 'u32'], ['data', 'u8[]'],
]);

export const ethtool_sset_info = defineStruct('ethtool_sset_info', [
  ['cmd', 'u32'], ['reserved', 'u32'], ['sset_mask', 'u64'], ['data', 'u32[]'],
]);

export const ethtool_test = defineStruct('ethtool_test', [
  ['cmd', 'u32'], ['flags', 'u32'], ['reserved', 'u32'], ['len', 'u32'], ['data', 'u64[]'],
]);

export const ethtool_stats = defineStruct('ethtool_stats', [
  ['cmd', 'u32'], ['n_stats', 'u32'], ['data', 'u64[]'],
]);

export const ethtool_perm_addr = defineStruct('ethtool_perm_addr', [
  ['cmd', 'u32'], ['size', 'u32'], ['data', 'u8[]'],
]);

export const ethtool_get_features_block = defineStruct('ethtool_get_features_block', [
  ['available', 'u32'], ['requested', 'u32'], ['active', 'u32'], ['never_changed', 'u32'],
]);
export const ethtool_gfeatures = defineStruct('ethtool_gfeatures', [
  ['cmd', 'u32'], ['size', 'u32'], ['features', 'u32[]'],
]);

export const ethtool_set_features_block = defineStruct('ethtool_set_features_block', [
  ['valid', 'u32'], ['requested', 'u32'],
]);
export const ethtool_sfeatures = defineStruct('ethtool_sfeatures', [
  ['cmd', 'u32'], ['size', 'u32'], ['features', 'u32[]'],
]);

export const ethtool_link_settings = defineStruct('ethtool_link_settings', [
  ['cmd', 'u32'], ['speed', 'u32'], ['duplex', 'u8'], ['port', 'u8'], ['phy_address', 'u8'],
  ['autoneg', 'u8'], ['mdio_support', 'u8'], ['eth_tp_mdix', 'u8'], ['eth_tp_mdix_ctrl', 'u8'],
  ['link_mode_masks_nwords', 's8'], ['transceiver', 'u8'], ['master_slave_cfg', 'u8'],
  ['master_slave_state', 'u8'], ['rate_matching', 'u8'], ['reserved', 'u32[7]'],
  ['link_mode_masks', 'u32[]'],
]);

export const ethtool_fecparam = defineStruct('ethtool_fecparam', [
  ['cmd', 'u32'], ['active_fec', 'u32'], ['fec', 'u32'], ['reserved', 'u32'],
]);

export const ethtool_ts_info = defineStruct('ethtool_ts_info', [
  ['cmd', 'u32'], ['so_timestamping', 'u32'], ['phc_index', 's32'], ['tx_types', 'u32'],
  ['tx_reserved', 'u32[3]'], ['rx_filters', 'u32'], ['rx_reserved', 'u32[3]'],
]);

export const ethtool_eee = defineStruct('ethtool_eee', [
  ['cmd', 'u32'], ['supported', 'u32'], ['advertised', 'u32'], ['lp_advertised', 'u32'],
  ['eee_active', 'u32'], ['eee_enabled', 'u32'], ['tx_lpi_enabled', 'u32'], ['tx_lpi_timer', 'u32'],
  ['reserved', 'u32[2]'],
]);

/** The value follows the header (the kernel's `void *data[]`: offset 16, `len` bytes). */
export const ethtool_tunable = defineStruct('ethtool_tunable', [
  ['cmd', 'u32'], ['id', 'u32'], ['type_id', 'u32'], ['len', 'u32'], ['data', 'u8[]'],
]);

// ---- RSS and RX flow classification (rxnfc) ----------------------------------------------
// The flow union's members and the extension are big-endian on the wire (__be16/__be32): the
// layouts give their offsets; src/ethtool/rss.ts reads and writes them in network order.

export const ethtool_tcpip4_spec = defineStruct('ethtool_tcpip4_spec', [
  ['ip4src', 'u32'], ['ip4dst', 'u32'], ['psrc', 'u16'], ['pdst', 'u16'], ['tos', 'u8'],
]);
export const ethtool_ah_espip4_spec = defineStruct('ethtool_ah_espip4_spec', [
  ['ip4src', 'u32'], ['ip4dst', 'u32'], ['spi', 'u32'], ['tos', 'u8'],
]);
export const ethtool_usrip4_spec = defineStruct('ethtool_usrip4_spec', [
  ['ip4src', 'u32'], ['ip4dst', 'u32'], ['l4_4_bytes', 'u32'], ['tos', 'u8'], ['ip_ver', 'u8'], ['proto', 'u8'],
]);
export const ethtool_tcpip6_spec = defineStruct('ethtool_tcpip6_spec', [
  ['ip6src', 'u32[4]'], ['ip6dst', 'u32[4]'], ['psrc', 'u16'], ['pdst', 'u16'], ['tclass', 'u8'],
]);
export const ethtool_ah_espip6_spec = defineStruct('ethtool_ah_espip6_spec', [
  ['ip6src', 'u32[4]'], ['ip6dst', 'u32[4]'], ['spi', 'u32'], ['tclass', 'u8'],
]);
export const ethtool_usrip6_spec = defineStruct('ethtool_usrip6_spec', [
  ['ip6src', 'u32[4]'], ['ip6dst', 'u32[4]'], ['l4_4_bytes', 'u32'], ['tclass', 'u8'], ['l4_proto', 'u8'],
]);
/** <linux/if_ether.h>'s ethhdr (packed): the ether_spec member of the flow union. */
export const ethhdr = defineStruct('ethhdr', [['h_dest', 'u8[6]'], ['h_source', 'u8[6]'], ['h_proto', 'u16']]);
export const ethtool_flow_ext = defineStruct('ethtool_flow_ext', [
  ['padding', 'u8[2]'], ['h_dest', 'u8[6]'], ['vlan_etype', 'u16'], ['vlan_tci', 'u16'], ['data', 'u32[2]'],
]);
/** The size of union ethtool_flow_union (its hdata[52]). */
export const ETHTOOL_FLOW_UNION_SIZE = 52;
export const ethtool_rx_flow_spec = defineStruct('ethtool_rx_flow_spec', [
  ['flow_type', 'u32'], ['h_u', 'u8[52]'], ['h_ext', 'u8[20]'], ['m_u', 'u8[52]'], ['m_ext', 'u8[20]'],
  ['ring_cookie', 'u64'], ['location', 'u32'],
]);
/**
 * GRXRINGS, GRXFH/SRXFH, GRXCLSRLCNT/GRXCLSRULE/GRXCLSRLALL/SRXCLSRLINS/SRXCLSRLDEL. `fs` is an
 * ethtool_rx_flow_spec (its fields at fs's offset); the kernel's union of rule_cnt and
 * rss_context is declared as rss_context (RXNFC_RULE_CNT names the same word).
 */
export const ethtool_rxnfc = defineStruct('ethtool_rxnfc', [
  ['cmd', 'u32'], ['flow_type', 'u32'], ['data', 'u64'], ['fs', 'u8[168]'], ['rss_context', 'u32'],
  ['rule_locs', 'u32[]'],
]);
export const RXNFC_RULE_CNT = 'rss_context';
export const ethtool_rxfh_indir = defineStruct('ethtool_rxfh_indir', [
  ['cmd', 'u32'], ['size', 'u32'], ['ring_index', 'u32[]'],
]);
/** GRSSH/SRSSH: the indirection table (indir_size u32s), then the key (key_size bytes). */
export const ethtool_rxfh = defineStruct('ethtool_rxfh', [
  ['cmd', 'u32'], ['rss_context', 'u32'], ['indir_size', 'u32'], ['key_size', 'u32'], ['hfunc', 'u8'],
  ['rsvd8', 'u8[3]'], ['rsvd32', 'u32'], ['rss_config', 'u32[]'],
]);

export const RXNFC_LAYOUTS = [
  ethtool_tcpip4_spec, ethtool_ah_espip4_spec, ethtool_usrip4_spec, ethtool_tcpip6_spec, ethtool_ah_espip6_spec,
  ethtool_usrip6_spec, ethhdr, ethtool_flow_ext, ethtool_rx_flow_spec, ethtool_rxnfc, ethtool_rxfh_indir, ethtool_rxfh,
];

/** Every layout, for the native probe comparison. */
export const ALL_LAYOUTS = [
  ethtool_cmd, ethtool_drvinfo, ethtool_wolinfo, ethtool_value, ethtool_regs, ethtool_eeprom, ethtool_dump, ethtool_flash, ethtool_per_queue_op,
  ethtool_coalesce, ethtool_ringparam, ethtool_channels, ethtool_pauseparam, ethtool_gstrings,
  ethtool_sset_info, ethtool_test, ethtool_stats, ethtool_perm_addr, ethtool_get_features_block,
  ethtool_gfeatures, ethtool_set_features_block, ethtool_sfeatures, ethtool_link_settings,
  ethtool_fecparam, ethtool_modinfo, ethtool_ts_info, ethtool_eee, ethtool_tunable,
  ...RXNFC_LAYOUTS,
];
