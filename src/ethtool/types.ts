/** Plain data shapes of what the kernel reports (the ops' results, the device API's types); field names are the kernel's. */

export interface DriverInfo {
  driver: string; version: string; fw_version: string; bus_info: string; erom_version: string;
  n_priv_flags: number; n_stats: number; testinfo_len: number; eedump_len: number; regdump_len: number;
}

export interface Ring {
  rx_max_pending: number; rx_mini_max_pending: number; rx_jumbo_max_pending: number; tx_max_pending: number;
  rx_pending: number; rx_mini_pending: number; rx_jumbo_pending: number; tx_pending: number;
}
export type RingChange = Partial<Pick<Ring, 'rx_pending' | 'rx_mini_pending' | 'rx_jumbo_pending' | 'tx_pending'>>;

export interface Channels {
  max_rx: number; max_tx: number; max_other: number; max_combined: number;
  rx_count: number; tx_count: number; other_count: number; combined_count: number;
}
export type ChannelsChange = Partial<Pick<Channels, 'rx_count' | 'tx_count' | 'other_count' | 'combined_count'>>;

export interface Pause { autoneg: number; rx_pause: number; tx_pause: number }

export interface Coalesce {
  rx_coalesce_usecs: number; rx_max_coalesced_frames: number;
  rx_coalesce_usecs_irq: number; rx_max_coalesced_frames_irq: number;
  tx_coalesce_usecs: number; tx_max_coalesced_frames: number;
  tx_coalesce_usecs_irq: number; tx_max_coalesced_frames_irq: number;
  stats_block_coalesce_usecs: number;
  use_adaptive_rx_coalesce: number; use_adaptive_tx_coalesce: number;
  pkt_rate_low: number;
  rx_coalesce_usecs_low: number; rx_max_coalesced_frames_low: number;
  tx_coalesce_usecs_low: number; tx_max_coalesced_frames_low: number;
  pkt_rate_high: number;
  rx_coalesce_usecs_high: number; rx_max_coalesced_frames_high: number;
  tx_coalesce_usecs_high: number; tx_max_coalesced_frames_high: number;
  rate_sample_interval: number;
}

export interface LinkSettings {
  /** true when read through the deprecated ETHTOOL_GSET (driver lacks GLINKSETTINGS). */
  legacy: boolean;
  speed: number; duplex: number; port: number; phy_address: number; autoneg: number;
  mdio_support: number; eth_tp_mdix: number; eth_tp_mdix_ctrl: number; transceiver: number;
  master_slave_cfg: number; master_slave_state: number; rate_matching: number;
  /** Link-mode bitmaps as little-endian u32 words (bit n = ETHTOOL_LINK_MODE_* n). */
  supported: number[]; advertising: number[]; lp_advertising: number[];
}
export type LinkSettingsChange = Partial<Pick<LinkSettings,
  'speed' | 'duplex' | 'port' | 'phy_address' | 'autoneg' | 'eth_tp_mdix_ctrl' | 'transceiver' | 'master_slave_cfg' | 'advertising'>>;

export interface WolInfo { supported: number; wolopts: number; sopass: number[] }

export interface FeatureState {
  name: string; available: boolean; requested: boolean; active: boolean; never_changed: boolean;
}

export type LegacyOffloadName = 'rx' | 'tx' | 'sg' | 'tso' | 'ufo' | 'gso' | 'gro' | 'lro' | 'rxvlan' | 'txvlan' | 'ntuple' | 'rxhash';

export type SelfTestMode = 'offline' | 'online' | 'external_lb';
export interface SelfTestResult {
  failed: boolean; external_lb_done: boolean; flags: number;
  results: { name: string; value: bigint }[];
}

export interface FecParam { active_fec: number; fec: number }

/** struct ethtool_ts_info (without its reserved words). */
export interface TsInfo { so_timestamping: number; phc_index: number; tx_types: number; rx_filters: number }

/** struct ethtool_eee (without its reserved words). */
export interface Eee {
  supported: number; advertised: number; lp_advertised: number; eee_active: number;
  eee_enabled: number; tx_lpi_enabled: number; tx_lpi_timer: number;
}
export type EeeChange = Partial<Pick<Eee, 'advertised' | 'eee_enabled' | 'tx_lpi_enabled' | 'tx_lpi_timer'>>;
