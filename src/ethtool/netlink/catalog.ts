/**
 * The catalog of the ethtool netlink family as of Linux 6.1's uapi (<linux/ethtool_netlink.h>):
 * every message id, user and kernel, and the attribute table of every message, declared once
 * as data. Newer kernels add attributes and messages; decoding keeps what it does not know in
 * `_unknown` and callers ask the family (./family.ts) which messages the kernel has.
 *
 * Also here: the generic netlink controller's and the extended ack's attribute tables, which
 * the framing (./message.ts) and family resolution (./family.ts) decode with.
 */
import { defineAttrs, AttrSet } from './attrs';
import { BITSET_A, BITSET_BITS_A, BITSET_BIT_A } from './bitset';
import { ETH_SS, NLMSGERR_ATTR, NL_POLICY_TYPE_ATTR } from './constants';

const SS = ETH_SS;

// ---- common -----------------------------------------------------------------------------

export const HEADER = defineAttrs('header', 'ETHTOOL_A_HEADER_', [
  [1, 'dev_index', 'u32'],
  [2, 'dev_name', 'string'],
  [3, 'flags', 'u32'],
]);

export const BITSET_BIT = defineAttrs('bitset_bit', 'ETHTOOL_A_BITSET_BIT_', [
  [BITSET_BIT_A.INDEX, 'index', 'u32'],
  [BITSET_BIT_A.NAME, 'name', 'string'],
  [BITSET_BIT_A.VALUE, 'value', 'flag'],
]);
export const BITSET_BITS = defineAttrs('bitset_bits', 'ETHTOOL_A_BITSET_BITS_', [
  [BITSET_BITS_A.BIT, 'bit', BITSET_BIT, { multi: true }],
]);
/** The bitset nest spelled out (the codec reads bitsets with ./bitset.ts; this is for the probe and for raw views). */
export const BITSET = defineAttrs('bitset', 'ETHTOOL_A_BITSET_', [
  [BITSET_A.NOMASK, 'nomask', 'flag'],
  [BITSET_A.SIZE, 'size', 'u32'],
  [BITSET_A.BITS, 'bits', BITSET_BITS],
  [BITSET_A.VALUE, 'value', 'binary'],
  [BITSET_A.MASK, 'mask', 'binary'],
]);

// ---- string sets --------------------------------------------------------------------------

export const STRING = defineAttrs('string', 'ETHTOOL_A_STRING_', [
  [1, 'index', 'u32'],
  [2, 'value', 'string'],
]);
export const STRINGS = defineAttrs('strings', 'ETHTOOL_A_STRINGS_', [
  [1, 'string', STRING, { multi: true }],
]);
export const STRINGSET = defineAttrs('stringset', 'ETHTOOL_A_STRINGSET_', [
  [1, 'id', 'u32'],
  [2, 'count', 'u32'],
  [3, 'strings', STRINGS],
]);
export const STRINGSETS = defineAttrs('stringsets', 'ETHTOOL_A_STRINGSETS_', [
  [1, 'stringset', STRINGSET, { multi: true }],
]);
export const STRSET = defineAttrs('strset', 'ETHTOOL_A_STRSET_', [
  [1, 'header', HEADER],
  [2, 'stringsets', STRINGSETS],
  [3, 'counts_only', 'flag'],
]);

// ---- link ---------------------------------------------------------------------------------

export const LINKINFO = defineAttrs('linkinfo', 'ETHTOOL_A_LINKINFO_', [
  [1, 'header', HEADER],
  [2, 'port', 'u8'],
  [3, 'phyaddr', 'u8'],
  [4, 'tp_mdix', 'u8'],
  [5, 'tp_mdix_ctrl', 'u8'],
  [6, 'transceiver', 'u8'],
]);

export const LINKMODES = defineAttrs('linkmodes', 'ETHTOOL_A_LINKMODES_', [
  [1, 'header', HEADER],
  [2, 'autoneg', 'u8'],
  [3, 'ours', 'bitset', { strset: SS.LINK_MODES }],
  [4, 'peer', 'bitset', { strset: SS.LINK_MODES }],
  [5, 'speed', 'u32'],
  [6, 'duplex', 'u8'],
  [7, 'master_slave_cfg', 'u8'],
  [8, 'master_slave_state', 'u8'],
  [9, 'lanes', 'u32'],
  [10, 'rate_matching', 'u8'],
]);

export const LINKSTATE = defineAttrs('linkstate', 'ETHTOOL_A_LINKSTATE_', [
  [1, 'header', HEADER],
  [2, 'link', 'u8'],
  [3, 'sqi', 'u32'],
  [4, 'sqi_max', 'u32'],
  [5, 'ext_state', 'u8'],
  [6, 'ext_substate', 'u8'],
]);

export const DEBUG = defineAttrs('debug', 'ETHTOOL_A_DEBUG_', [
  [1, 'header', HEADER],
  [2, 'msgmask', 'bitset', { strset: SS.MSG_CLASSES }],
]);

export const WOL = defineAttrs('wol', 'ETHTOOL_A_WOL_', [
  [1, 'header', HEADER],
  [2, 'modes', 'bitset', { strset: SS.WOL_MODES }],
  [3, 'sopass', 'binary'],
]);

// ---- features and flags ---------------------------------------------------------------------

export const FEATURES = defineAttrs('features', 'ETHTOOL_A_FEATURES_', [
  [1, 'header', HEADER],
  [2, 'hw', 'bitset', { strset: SS.FEATURES }],
  [3, 'wanted', 'bitset', { strset: SS.FEATURES }],
  [4, 'active', 'bitset', { strset: SS.FEATURES }],
  [5, 'nochange', 'bitset', { strset: SS.FEATURES }],
]);

export const PRIVFLAGS = defineAttrs('privflags', 'ETHTOOL_A_PRIVFLAGS_', [
  [1, 'header', HEADER],
  [2, 'flags', 'bitset', { strset: SS.PRIV_FLAGS, perDevice: true }],
]);

// ---- queues and interrupts ----------------------------------------------------------------

export const RINGS = defineAttrs('rings', 'ETHTOOL_A_RINGS_', [
  [1, 'header', HEADER],
  [2, 'rx_max', 'u32'],
  [3, 'rx_mini_max', 'u32'],
  [4, 'rx_jumbo_max', 'u32'],
  [5, 'tx_max', 'u32'],
  [6, 'rx', 'u32'],
  [7, 'rx_mini', 'u32'],
  [8, 'rx_jumbo', 'u32'],
  [9, 'tx', 'u32'],
  [10, 'rx_buf_len', 'u32'],
  [11, 'tcp_data_split', 'u8'],
  [12, 'cqe_size', 'u32'],
  [13, 'tx_push', 'u8'],
]);

export const CHANNELS = defineAttrs('channels', 'ETHTOOL_A_CHANNELS_', [
  [1, 'header', HEADER],
  [2, 'rx_max', 'u32'],
  [3, 'tx_max', 'u32'],
  [4, 'other_max', 'u32'],
  [5, 'combined_max', 'u32'],
  [6, 'rx_count', 'u32'],
  [7, 'tx_count', 'u32'],
  [8, 'other_count', 'u32'],
  [9, 'combined_count', 'u32'],
]);

export const COALESCE = defineAttrs('coalesce', 'ETHTOOL_A_COALESCE_', [
  [1, 'header', HEADER],
  [2, 'rx_usecs', 'u32'],
  [3, 'rx_max_frames', 'u32'],
  [4, 'rx_usecs_irq', 'u32'],
  [5, 'rx_max_frames_irq', 'u32'],
  [6, 'tx_usecs', 'u32'],
  [7, 'tx_max_frames', 'u32'],
  [8, 'tx_usecs_irq', 'u32'],
  [9, 'tx_max_frames_irq', 'u32'],
  [10, 'stats_block_usecs', 'u32'],
  [11, 'use_adaptive_rx', 'u8'],
  [12, 'use_adaptive_tx', 'u8'],
  [13, 'pkt_rate_low', 'u32'],
  [14, 'rx_usecs_low', 'u32'],
  [15, 'rx_max_frames_low', 'u32'],
  [16, 'tx_usecs_low', 'u32'],
  [17, 'tx_max_frames_low', 'u32'],
  [18, 'pkt_rate_high', 'u32'],
  [19, 'rx_usecs_high', 'u32'],
  [20, 'rx_max_frames_high', 'u32'],
  [21, 'tx_usecs_high', 'u32'],
  [22, 'tx_max_frames_high', 'u32'],
  [23, 'rate_sample_interval', 'u32'],
  [24, 'use_cqe_mode_tx', 'u8'],
  [25, 'use_cqe_mode_rx', 'u8'],
]);

export const PAUSE_STAT = defineAttrs('pause_stat', 'ETHTOOL_A_PAUSE_STAT_', [
  [1, 'pad', 'pad'],
  [2, 'tx_frames', 'u64'],
  [3, 'rx_frames', 'u64'],
]);
export const PAUSE = defineAttrs('pause', 'ETHTOOL_A_PAUSE_', [
  [1, 'header', HEADER],
  [2, 'autoneg', 'u8'],
  [3, 'rx', 'u8'],
  [4, 'tx', 'u8'],
  [5, 'stats', PAUSE_STAT],
]);

export const EEE = defineAttrs('eee', 'ETHTOOL_A_EEE_', [
  [1, 'header', HEADER],
  [2, 'modes_ours', 'bitset', { strset: SS.LINK_MODES }],
  [3, 'modes_peer', 'bitset', { strset: SS.LINK_MODES }],
  [4, 'active', 'u8'],
  [5, 'enabled', 'u8'],
  [6, 'tx_lpi_enabled', 'u8'],
  [7, 'tx_lpi_timer', 'u32'],
]);

// ---- timestamping -------------------------------------------------------------------------

export const TSINFO = defineAttrs('tsinfo', 'ETHTOOL_A_TSINFO_', [
  [1, 'header', HEADER],
  [2, 'timestamping', 'bitset', { strset: SS.SOF_TIMESTAMPING }],
  [3, 'tx_types', 'bitset', { strset: SS.TS_TX_TYPES }],
  [4, 'rx_filters', 'bitset', { strset: SS.TS_RX_FILTERS }],
  [5, 'phc_index', 'u32'],
]);

export const PHC_VCLOCKS = defineAttrs('phc_vclocks', 'ETHTOOL_A_PHC_VCLOCKS_', [
  [1, 'header', HEADER],
  [2, 'num', 'u32'],
  [3, 'index', 's32array'],
]);

// ---- cable test ---------------------------------------------------------------------------

export const CABLE_TEST = defineAttrs('cable_test', 'ETHTOOL_A_CABLE_TEST_', [
  [1, 'header', HEADER],
]);

export const CABLE_RESULT = defineAttrs('cable_result', 'ETHTOOL_A_CABLE_RESULT_', [
  [1, 'pair', 'u8'],
  [2, 'code', 'u8'],
]);
export const CABLE_FAULT_LENGTH = defineAttrs('cable_fault_length', 'ETHTOOL_A_CABLE_FAULT_LENGTH_', [
  [1, 'pair', 'u8'],
  [2, 'cm', 'u32'],
]);
export const CABLE_NEST = defineAttrs('cable_nest', 'ETHTOOL_A_CABLE_NEST_', [
  [1, 'result', CABLE_RESULT, { multi: true }],
  [2, 'fault_length', CABLE_FAULT_LENGTH, { multi: true }],
]);
export const CABLE_TEST_NTF = defineAttrs('cable_test_ntf', 'ETHTOOL_A_CABLE_TEST_NTF_', [
  [1, 'header', HEADER],
  [2, 'status', 'u8'],
  [3, 'nest', CABLE_NEST],
]);

export const CABLE_TEST_TDR_CFG = defineAttrs('cable_test_tdr_cfg', 'ETHTOOL_A_CABLE_TEST_TDR_CFG_', [
  [1, 'first', 'u32'],
  [2, 'last', 'u32'],
  [3, 'step', 'u32'],
  [4, 'pair', 'u8'],
]);
export const CABLE_TEST_TDR = defineAttrs('cable_test_tdr', 'ETHTOOL_A_CABLE_TEST_TDR_', [
  [1, 'header', HEADER],
  [2, 'cfg', CABLE_TEST_TDR_CFG],
]);

export const CABLE_AMPLITUDE = defineAttrs('cable_amplitude', 'ETHTOOL_A_CABLE_AMPLITUDE_', [
  [1, 'pair', 'u8'],
  [2, 'mv', 's16', { c: 'ETHTOOL_A_CABLE_AMPLITUDE_mV' }],
]);
export const CABLE_PULSE = defineAttrs('cable_pulse', 'ETHTOOL_A_CABLE_PULSE_', [
  [1, 'mv', 's16', { c: 'ETHTOOL_A_CABLE_PULSE_mV' }],
]);
export const CABLE_STEP = defineAttrs('cable_step', 'ETHTOOL_A_CABLE_STEP_', [
  [1, 'first_distance', 'u32'],
  [2, 'last_distance', 'u32'],
  [3, 'step_distance', 'u32'],
]);
export const CABLE_TDR_NEST = defineAttrs('cable_tdr_nest', 'ETHTOOL_A_CABLE_TDR_NEST_', [
  [1, 'step', CABLE_STEP, { multi: true }],
  [2, 'amplitude', CABLE_AMPLITUDE, { multi: true }],
  [3, 'pulse', CABLE_PULSE, { multi: true }],
]);
export const CABLE_TEST_TDR_NTF = defineAttrs('cable_test_tdr_ntf', 'ETHTOOL_A_CABLE_TEST_TDR_NTF_', [
  [1, 'header', HEADER],
  [2, 'status', 'u8'],
  [3, 'nest', CABLE_TDR_NEST],
]);

// ---- tunnels ------------------------------------------------------------------------------

export const TUNNEL_UDP_ENTRY = defineAttrs('tunnel_udp_entry', 'ETHTOOL_A_TUNNEL_UDP_ENTRY_', [
  [1, 'port', 'be16'],
  [2, 'type', 'u32'],
]);
export const TUNNEL_UDP_TABLE = defineAttrs('tunnel_udp_table', 'ETHTOOL_A_TUNNEL_UDP_TABLE_', [
  [1, 'size', 'u32'],
  [2, 'types', 'bitset', { strset: SS.UDP_TUNNEL_TYPES }],
  [3, 'entry', TUNNEL_UDP_ENTRY, { multi: true }],
]);
export const TUNNEL_UDP = defineAttrs('tunnel_udp', 'ETHTOOL_A_TUNNEL_UDP_', [
  [1, 'table', TUNNEL_UDP_TABLE, { multi: true }],
]);
export const TUNNEL_INFO = defineAttrs('tunnel_info', 'ETHTOOL_A_TUNNEL_INFO_', [
  [1, 'header', HEADER],
  [2, 'udp_ports', TUNNEL_UDP],
]);

// ---- FEC, module ------------------------------------------------------------------------------

export const FEC_STAT = defineAttrs('fec_stat', 'ETHTOOL_A_FEC_STAT_', [
  [1, 'pad', 'pad'],
  [2, 'corrected', 'u64array'],
  [3, 'uncorr', 'u64array'],
  [4, 'corr_bits', 'u64array'],
]);
export const FEC = defineAttrs('fec', 'ETHTOOL_A_FEC_', [
  [1, 'header', HEADER],
  [2, 'modes', 'bitset', { strset: SS.LINK_MODES }],
  [3, 'auto', 'u8'],
  [4, 'active', 'u32'],
  [5, 'stats', FEC_STAT],
]);

export const MODULE_EEPROM = defineAttrs('module_eeprom', 'ETHTOOL_A_MODULE_EEPROM_', [
  [1, 'header', HEADER],
  [2, 'offset', 'u32'],
  [3, 'length', 'u32'],
  [4, 'page', 'u8'],
  [5, 'bank', 'u8'],
  [6, 'i2c_address', 'u8'],
  [7, 'data', 'binary'],
]);

export const MODULE = defineAttrs('module', 'ETHTOOL_A_MODULE_', [
  [1, 'header', HEADER],
  [2, 'power_mode_policy', 'u8'],
  [3, 'power_mode', 'u8'],
]);

export const PSE = defineAttrs('pse', 'ETHTOOL_A_PSE_', [
  [1, 'header', HEADER],
  [2, 'podl_pse_admin_state', 'u32', { c: 'ETHTOOL_A_PODL_PSE_ADMIN_STATE' }],
  [3, 'podl_pse_admin_control', 'u32', { c: 'ETHTOOL_A_PODL_PSE_ADMIN_CONTROL' }],
  [4, 'podl_pse_pw_d_status', 'u32', { c: 'ETHTOOL_A_PODL_PSE_PW_D_STATUS' }],
]);

// ---- standard statistics ----------------------------------------------------------------------

export const STATS_HIST = defineAttrs('stats_hist', 'ETHTOOL_A_STATS_GRP_', [
  [7, 'hist_bkt_low', 'u32'],
  [8, 'hist_bkt_hi', 'u32'],
  [9, 'hist_val', 'u64'],
]);
export const STATS_GRP = defineAttrs('stats_grp', 'ETHTOOL_A_STATS_GRP_', [
  [1, 'pad', 'pad'],
  [2, 'id', 'u32'],
  [3, 'ss_id', 'u32'],
  /** One nest per counter in the kernel's replies, each holding one u64 whose type is the counter's id. */
  [4, 'stat', 'u64map'],
  [5, 'hist_rx', STATS_HIST, { multi: true }],
  [6, 'hist_tx', STATS_HIST, { multi: true }],
]);
export const STATS = defineAttrs('stats', 'ETHTOOL_A_STATS_', [
  [1, 'pad', 'pad'],
  [2, 'header', HEADER],
  [3, 'groups', 'bitset', { strset: SS.STATS_STD }],
  [4, 'grp', STATS_GRP, { multi: true }],
]);

// ---- messages -----------------------------------------------------------------------------

/** [id, name, attribute table] for each ETHTOOL_MSG_* userspace → kernel. */
const USER: ReadonlyArray<readonly [number, string, AttrSet]> = [
  [1, 'STRSET_GET', STRSET],
  [2, 'LINKINFO_GET', LINKINFO], [3, 'LINKINFO_SET', LINKINFO],
  [4, 'LINKMODES_GET', LINKMODES], [5, 'LINKMODES_SET', LINKMODES],
  [6, 'LINKSTATE_GET', LINKSTATE],
  [7, 'DEBUG_GET', DEBUG], [8, 'DEBUG_SET', DEBUG],
  [9, 'WOL_GET', WOL], [10, 'WOL_SET', WOL],
  [11, 'FEATURES_GET', FEATURES], [12, 'FEATURES_SET', FEATURES],
  [13, 'PRIVFLAGS_GET', PRIVFLAGS], [14, 'PRIVFLAGS_SET', PRIVFLAGS],
  [15, 'RINGS_GET', RINGS], [16, 'RINGS_SET', RINGS],
  [17, 'CHANNELS_GET', CHANNELS], [18, 'CHANNELS_SET', CHANNELS],
  [19, 'COALESCE_GET', COALESCE], [20, 'COALESCE_SET', COALESCE],
  [21, 'PAUSE_GET', PAUSE], [22, 'PAUSE_SET', PAUSE],
  [23, 'EEE_GET', EEE], [24, 'EEE_SET', EEE],
  [25, 'TSINFO_GET', TSINFO],
  [26, 'CABLE_TEST_ACT', CABLE_TEST],
  [27, 'CABLE_TEST_TDR_ACT', CABLE_TEST_TDR],
  [28, 'TUNNEL_INFO_GET', TUNNEL_INFO],
  [29, 'FEC_GET', FEC], [30, 'FEC_SET', FEC],
  [31, 'MODULE_EEPROM_GET', MODULE_EEPROM],
  [32, 'STATS_GET', STATS],
  [33, 'PHC_VCLOCKS_GET', PHC_VCLOCKS],
  [34, 'MODULE_GET', MODULE], [35, 'MODULE_SET', MODULE],
  [36, 'PSE_GET', PSE], [37, 'PSE_SET', PSE],
];

/** [id, name, attribute table] for each ETHTOOL_MSG_* kernel → userspace. */
const KERNEL: ReadonlyArray<readonly [number, string, AttrSet]> = [
  [1, 'STRSET_GET_REPLY', STRSET],
  [2, 'LINKINFO_GET_REPLY', LINKINFO], [3, 'LINKINFO_NTF', LINKINFO],
  [4, 'LINKMODES_GET_REPLY', LINKMODES], [5, 'LINKMODES_NTF', LINKMODES],
  [6, 'LINKSTATE_GET_REPLY', LINKSTATE],
  [7, 'DEBUG_GET_REPLY', DEBUG], [8, 'DEBUG_NTF', DEBUG],
  [9, 'WOL_GET_REPLY', WOL], [10, 'WOL_NTF', WOL],
  [11, 'FEATURES_GET_REPLY', FEATURES], [12, 'FEATURES_SET_REPLY', FEATURES], [13, 'FEATURES_NTF', FEATURES],
  [14, 'PRIVFLAGS_GET_REPLY', PRIVFLAGS], [15, 'PRIVFLAGS_NTF', PRIVFLAGS],
  [16, 'RINGS_GET_REPLY', RINGS], [17, 'RINGS_NTF', RINGS],
  [18, 'CHANNELS_GET_REPLY', CHANNELS], [19, 'CHANNELS_NTF', CHANNELS],
  [20, 'COALESCE_GET_REPLY', COALESCE], [21, 'COALESCE_NTF', COALESCE],
  [22, 'PAUSE_GET_REPLY', PAUSE], [23, 'PAUSE_NTF', PAUSE],
  [24, 'EEE_GET_REPLY', EEE], [25, 'EEE_NTF', EEE],
  [26, 'TSINFO_GET_REPLY', TSINFO],
  [27, 'CABLE_TEST_NTF', CABLE_TEST_NTF],
  [28, 'CABLE_TEST_TDR_NTF', CABLE_TEST_TDR_NTF],
  [29, 'TUNNEL_INFO_GET_REPLY', TUNNEL_INFO],
  [30, 'FEC_GET_REPLY', FEC], [31, 'FEC_NTF', FEC],
  [32, 'MODULE_EEPROM_GET_REPLY', MODULE_EEPROM],
  [33, 'STATS_GET_REPLY', STATS],
  [34, 'PHC_VCLOCKS_GET_REPLY', PHC_VCLOCKS],
  [35, 'MODULE_GET_REPLY', MODULE], [36, 'MODULE_NTF', MODULE],
  [37, 'PSE_GET_REPLY', PSE],
];

export interface MessageDef {
  readonly id: number;
  /** The name without ETHTOOL_MSG_, e.g. RINGS_GET. */
  readonly name: string;
  readonly cname: string;
  readonly attrs: AttrSet;
  readonly dir: 'user' | 'kernel';
}

function table(dir: 'user' | 'kernel', rows: ReadonlyArray<readonly [number, string, AttrSet]>) {
  const byName = new Map<string, MessageDef>();
  const byId = new Map<number, MessageDef>();
  for (const [id, name, attrs] of rows) {
    const m: MessageDef = { id, name, cname: `ETHTOOL_MSG_${name}`, attrs, dir };
    if (byId.has(id) || byName.has(name)) throw new Error(`ETHTOOL_MSG_${name}: declared twice`);
    byName.set(name, m);
    byId.set(id, m);
  }
  return { byName, byId };
}

const user = table('user', USER);
const kernel = table('kernel', KERNEL);

export const USER_MESSAGES: ReadonlyMap<string, MessageDef> = user.byName;
export const USER_MESSAGES_BY_ID: ReadonlyMap<number, MessageDef> = user.byId;
export const KERNEL_MESSAGES: ReadonlyMap<string, MessageDef> = kernel.byName;
export const KERNEL_MESSAGES_BY_ID: ReadonlyMap<number, MessageDef> = kernel.byId;

export type UserMessage =
  | 'STRSET_GET' | 'LINKINFO_GET' | 'LINKINFO_SET' | 'LINKMODES_GET' | 'LINKMODES_SET' | 'LINKSTATE_GET'
  | 'DEBUG_GET' | 'DEBUG_SET' | 'WOL_GET' | 'WOL_SET' | 'FEATURES_GET' | 'FEATURES_SET'
  | 'PRIVFLAGS_GET' | 'PRIVFLAGS_SET' | 'RINGS_GET' | 'RINGS_SET' | 'CHANNELS_GET' | 'CHANNELS_SET'
  | 'COALESCE_GET' | 'COALESCE_SET' | 'PAUSE_GET' | 'PAUSE_SET' | 'EEE_GET' | 'EEE_SET' | 'TSINFO_GET'
  | 'CABLE_TEST_ACT' | 'CABLE_TEST_TDR_ACT' | 'TUNNEL_INFO_GET' | 'FEC_GET' | 'FEC_SET'
  | 'MODULE_EEPROM_GET' | 'STATS_GET' | 'PHC_VCLOCKS_GET' | 'MODULE_GET' | 'MODULE_SET' | 'PSE_GET' | 'PSE_SET';

/** The user message `name`, or an error naming the known ones. */
export function userMessage(name: string): MessageDef {
  const m = USER_MESSAGES.get(name);
  if (!m) throw new TypeError(`no ethtool netlink message ${name}`);
  return m;
}

/** Every attribute table of the family (for the probe comparison and documentation). */
export const ETHTOOL_ATTR_SETS: readonly AttrSet[] = [
  HEADER, BITSET_BIT, BITSET_BITS, BITSET, STRING, STRINGS, STRINGSET, STRINGSETS, STRSET,
  LINKINFO, LINKMODES, LINKSTATE, DEBUG, WOL, FEATURES, PRIVFLAGS, RINGS, CHANNELS, COALESCE,
  PAUSE_STAT, PAUSE, EEE, TSINFO, PHC_VCLOCKS, CABLE_TEST, CABLE_RESULT, CABLE_FAULT_LENGTH,
  CABLE_NEST, CABLE_TEST_NTF, CABLE_TEST_TDR_CFG, CABLE_TEST_TDR, CABLE_AMPLITUDE, CABLE_PULSE,
  CABLE_STEP, CABLE_TDR_NEST, CABLE_TEST_TDR_NTF, TUNNEL_UDP_ENTRY, TUNNEL_UDP_TABLE, TUNNEL_UDP,
  TUNNEL_INFO, FEC_STAT, FEC, MODULE_EEPROM, MODULE, PSE, STATS_HIST, STATS_GRP, STATS,
];

// ---- value enums ----------------------------------------------------------------------------

/** An enum as data: names in order from `first`, each with its C name prefix + NAME. */
export interface EnumDef { readonly prefix: string; readonly values: Readonly<Record<string, number>> }
function enumOf(prefix: string, names: readonly string[], first = 0): EnumDef {
  const values: Record<string, number> = {};
  names.forEach((n, i) => { values[n] = first + i; });
  return { prefix, values };
}

/** enum ETHTOOL_STATS_*: the standard statistics groups, with the string set naming each group's counters. */
export const STATS_GROUP = enumOf('ETHTOOL_STATS_', ['ETH_PHY', 'ETH_MAC', 'ETH_CTRL', 'RMON']);
export const STATS_GROUP_STRSET: Readonly<Record<number, number>> = {
  0: SS.STATS_ETH_PHY, 1: SS.STATS_ETH_MAC, 2: SS.STATS_ETH_CTRL, 3: SS.STATS_RMON,
};
/** Counter ids within each group (ETHTOOL_A_STATS_GRP_STAT's inner attribute types). */
export const STATS_ETH_PHY = enumOf('ETHTOOL_A_STATS_ETH_PHY_', ['5_SYM_ERR']);
export const STATS_ETH_MAC = enumOf('ETHTOOL_A_STATS_ETH_MAC_', [
  '2_TX_PKT', '3_SINGLE_COL', '4_MULTI_COL', '5_RX_PKT', '6_FCS_ERR', '7_ALIGN_ERR', '8_TX_BYTES',
  '9_TX_DEFER', '10_LATE_COL', '11_XS_COL', '12_TX_INT_ERR', '13_CS_ERR', '14_RX_BYTES',
  '15_RX_INT_ERR', '18_TX_MCAST', '19_TX_BCAST', '20_XS_DEFER', '21_RX_MCAST', '22_RX_BCAST',
  '23_IR_LEN_ERR', '24_OOR_LEN', '25_TOO_LONG_ERR',
]);
export const STATS_ETH_CTRL = enumOf('ETHTOOL_A_STATS_ETH_CTRL_', ['3_TX', '4_RX', '5_RX_UNSUP']);
export const STATS_RMON = enumOf('ETHTOOL_A_STATS_RMON_', ['UNDERSIZE', 'OVERSIZE', 'FRAG', 'JABBER']);

export const TCP_DATA_SPLIT = enumOf('ETHTOOL_TCP_DATA_SPLIT_', ['UNKNOWN', 'DISABLED', 'ENABLED']);
export const CABLE_RESULT_CODE = enumOf('ETHTOOL_A_CABLE_RESULT_CODE_', ['OK', 'OPEN', 'SAME_SHORT', 'CROSS_SHORT'], 1);
export const CABLE_PAIR = enumOf('ETHTOOL_A_CABLE_PAIR_', ['A', 'B', 'C', 'D']);
export const CABLE_TEST_NTF_STATUS = enumOf('ETHTOOL_A_CABLE_TEST_NTF_STATUS_', ['STARTED', 'COMPLETED'], 1);
export const UDP_TUNNEL_TYPE = enumOf('ETHTOOL_UDP_TUNNEL_TYPE_', ['VXLAN', 'GENEVE', 'VXLAN_GPE']);
export const MODULE_POWER_MODE_POLICY = enumOf('ETHTOOL_MODULE_POWER_MODE_POLICY_', ['HIGH', 'AUTO'], 1);
export const MODULE_POWER_MODE = enumOf('ETHTOOL_MODULE_POWER_MODE_', ['LOW', 'HIGH'], 1);
export const PODL_PSE_ADMIN_STATE = enumOf('ETHTOOL_PODL_PSE_ADMIN_STATE_', ['UNKNOWN', 'DISABLED', 'ENABLED'], 1);
export const PODL_PSE_PW_D_STATUS = enumOf('ETHTOOL_PODL_PSE_PW_D_STATUS_', ['UNKNOWN', 'DISABLED', 'SEARCHING', 'DELIVERING', 'SLEEP', 'IDLE', 'ERROR'], 1);

export const ETHTOOL_ENUMS: readonly EnumDef[] = [
  STATS_GROUP, STATS_ETH_PHY, STATS_ETH_MAC, STATS_ETH_CTRL, STATS_RMON, TCP_DATA_SPLIT,
  CABLE_RESULT_CODE, CABLE_PAIR, CABLE_TEST_NTF_STATUS, UDP_TUNNEL_TYPE, MODULE_POWER_MODE_POLICY,
  MODULE_POWER_MODE, PODL_PSE_ADMIN_STATE, PODL_PSE_PW_D_STATUS,
];

// ---- generic netlink controller and extended ack --------------------------------------------

export const CTRL_OP = defineAttrs('ctrl_op', 'CTRL_ATTR_OP_', [
  [1, 'id', 'u32'],
  [2, 'flags', 'u32'],
]);
export const CTRL_MCAST_GRP = defineAttrs('ctrl_mcast_grp', 'CTRL_ATTR_MCAST_GRP_', [
  [1, 'name', 'string'],
  [2, 'id', 'u32'],
]);
export const CTRL_POLICY = defineAttrs('ctrl_policy', 'CTRL_ATTR_POLICY_', [
  [1, 'do', 'u32'],
  [2, 'dump', 'u32'],
]);
export const CTRL = defineAttrs('ctrl', 'CTRL_ATTR_', [
  [1, 'family_id', 'u16'],
  [2, 'family_name', 'string'],
  [3, 'version', 'u32'],
  [4, 'hdrsize', 'u32'],
  [5, 'maxattr', 'u32'],
  [6, 'ops', CTRL_OP, { array: true }],
  [7, 'mcast_groups', CTRL_MCAST_GRP, { array: true }],
  [8, 'policy', 'binary'],
  [9, 'op_policy', 'binary'],
  [10, 'op', 'u32'],
]);

const P = NL_POLICY_TYPE_ATTR;
/** What the kernel says about an attribute's policy (NLMSGERR_ATTR_POLICY). */
export const NL_POLICY = defineAttrs('policy', 'NL_POLICY_TYPE_ATTR_', [
  [P.TYPE, 'type', 'u32'],
  [P.MIN_VALUE_S, 'min_value_s', 's64'],
  [P.MAX_VALUE_S, 'max_value_s', 's64'],
  [P.MIN_VALUE_U, 'min_value_u', 'u64'],
  [P.MAX_VALUE_U, 'max_value_u', 'u64'],
  [P.MIN_LENGTH, 'min_length', 'u32'],
  [P.MAX_LENGTH, 'max_length', 'u32'],
  [P.POLICY_IDX, 'policy_idx', 'u32'],
  [P.POLICY_MAXTYPE, 'policy_maxtype', 'u32'],
  [P.BITFIELD32_MASK, 'bitfield32_mask', 'u32'],
  [P.PAD, 'pad', 'pad'],
  [P.MASK, 'mask', 'u64'],
]);

const E = NLMSGERR_ATTR;
export const NLMSGERR = defineAttrs('nlmsgerr', 'NLMSGERR_ATTR_', [
  [E.MSG, 'msg', 'string'],
  [E.OFFS, 'offs', 'u32'],
  [E.COOKIE, 'cookie', 'binary'],
  [E.POLICY, 'policy', NL_POLICY],
  [E.MISS_TYPE, 'miss_type', 'u32'],
  [E.MISS_NEST, 'miss_nest', 'u32'],
]);

export const NETLINK_ATTR_SETS: readonly AttrSet[] = [CTRL_OP, CTRL_MCAST_GRP, CTRL_POLICY, CTRL, NL_POLICY, NLMSGERR];
