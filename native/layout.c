/* Prints the size of every ethtool struct ethkit uses and the offset of each field, as
 * compiled against the system's <linux/ethtool.h>. test/layout.test.ts compares this with
 * the TypeScript layouts. Output lines: "S <struct> <size>" and "F <struct> <field> <offset>". */
#include <stddef.h>
#include <stdio.h>
#include <linux/ethtool.h>

#define S(s) printf("S %s %zu\n", #s, sizeof(struct s))
#define F(s, f) printf("F %s %s %zu\n", #s, #f, offsetof(struct s, f))

int main(void)
{
	S(ethtool_cmd);
	F(ethtool_cmd, cmd); F(ethtool_cmd, supported); F(ethtool_cmd, advertising); F(ethtool_cmd, speed);
	F(ethtool_cmd, duplex); F(ethtool_cmd, port); F(ethtool_cmd, phy_address); F(ethtool_cmd, transceiver);
	F(ethtool_cmd, autoneg); F(ethtool_cmd, mdio_support); F(ethtool_cmd, maxtxpkt); F(ethtool_cmd, maxrxpkt);
	F(ethtool_cmd, speed_hi); F(ethtool_cmd, eth_tp_mdix); F(ethtool_cmd, eth_tp_mdix_ctrl);
	F(ethtool_cmd, lp_advertising); F(ethtool_cmd, reserved);

	S(ethtool_drvinfo);
	F(ethtool_drvinfo, cmd); F(ethtool_drvinfo, driver); F(ethtool_drvinfo, version);
	F(ethtool_drvinfo, fw_version); F(ethtool_drvinfo, bus_info); F(ethtool_drvinfo, erom_version);
	F(ethtool_drvinfo, reserved2); F(ethtool_drvinfo, n_priv_flags); F(ethtool_drvinfo, n_stats);
	F(ethtool_drvinfo, testinfo_len); F(ethtool_drvinfo, eedump_len); F(ethtool_drvinfo, regdump_len);

	S(ethtool_wolinfo);
	F(ethtool_wolinfo, cmd); F(ethtool_wolinfo, supported); F(ethtool_wolinfo, wolopts); F(ethtool_wolinfo, sopass);

	S(ethtool_value);
	F(ethtool_value, cmd); F(ethtool_value, data);

	S(ethtool_regs);
	F(ethtool_regs, cmd); F(ethtool_regs, version); F(ethtool_regs, len); F(ethtool_regs, data);

	S(ethtool_eeprom);
	F(ethtool_eeprom, cmd); F(ethtool_eeprom, magic); F(ethtool_eeprom, offset); F(ethtool_eeprom, len);
	F(ethtool_eeprom, data);

	S(ethtool_dump);
	F(ethtool_dump, cmd); F(ethtool_dump, version); F(ethtool_dump, flag); F(ethtool_dump, len); F(ethtool_dump, data);
	S(ethtool_flash);
	F(ethtool_flash, cmd); F(ethtool_flash, region); F(ethtool_flash, data);
	S(ethtool_per_queue_op);
	F(ethtool_per_queue_op, cmd); F(ethtool_per_queue_op, sub_command); F(ethtool_per_queue_op, queue_mask);
	F(ethtool_per_queue_op, data);

	S(ethtool_modinfo);
	F(ethtool_modinfo, cmd); F(ethtool_modinfo, type); F(ethtool_modinfo, eeprom_len); F(ethtool_modinfo, reserved);

	S(ethtool_coalesce);
	F(ethtool_coalesce, cmd);
	F(ethtool_coalesce, rx_coalesce_usecs); F(ethtool_coalesce, rx_max_coalesced_frames);
	F(ethtool_coalesce, rx_coalesce_usecs_irq); F(ethtool_coalesce, rx_max_coalesced_frames_irq);
	F(ethtool_coalesce, tx_coalesce_usecs); F(ethtool_coalesce, tx_max_coalesced_frames);
	F(ethtool_coalesce, tx_coalesce_usecs_irq); F(ethtool_coalesce, tx_max_coalesced_frames_irq);
	F(ethtool_coalesce, stats_block_coalesce_usecs);
	F(ethtool_coalesce, use_adaptive_rx_coalesce); F(ethtool_coalesce, use_adaptive_tx_coalesce);
	F(ethtool_coalesce, pkt_rate_low);
	F(ethtool_coalesce, rx_coalesce_usecs_low); F(ethtool_coalesce, rx_max_coalesced_frames_low);
	F(ethtool_coalesce, tx_coalesce_usecs_low); F(ethtool_coalesce, tx_max_coalesced_frames_low);
	F(ethtool_coalesce, pkt_rate_high);
	F(ethtool_coalesce, rx_coalesce_usecs_high); F(ethtool_coalesce, rx_max_coalesced_frames_high);
	F(ethtool_coalesce, tx_coalesce_usecs_high); F(ethtool_coalesce, tx_max_coalesced_frames_high);
	F(ethtool_coalesce, rate_sample_interval);

	S(ethtool_ringparam);
	F(ethtool_ringparam, cmd); F(ethtool_ringparam, rx_max_pending); F(ethtool_ringparam, rx_mini_max_pending);
	F(ethtool_ringparam, rx_jumbo_max_pending); F(ethtool_ringparam, tx_max_pending);
	F(ethtool_ringparam, rx_pending); F(ethtool_ringparam, rx_mini_pending);
	F(ethtool_ringparam, rx_jumbo_pending); F(ethtool_ringparam, tx_pending);

	S(ethtool_channels);
	F(ethtool_channels, cmd); F(ethtool_channels, max_rx); F(ethtool_channels, max_tx);
	F(ethtool_channels, max_other); F(ethtool_channels, max_combined); F(ethtool_channels, rx_count);
	F(ethtool_channels, tx_count); F(ethtool_channels, other_count); F(ethtool_channels, combined_count);

	S(ethtool_pauseparam);
	F(ethtool_pauseparam, cmd); F(ethtool_pauseparam, autoneg); F(ethtool_pauseparam, rx_pause);
	F(ethtool_pauseparam, tx_pause);

	S(ethtool_gstrings);
	F(ethtool_gstrings, cmd); F(ethtool_gstrings, string_set); F(ethtool_gstrings, len); F(ethtool_gstrings, data);

	S(ethtool_sset_info);
	F(ethtool_sset_info, cmd); F(ethtool_sset_info, reserved); F(ethtool_sset_info, sset_mask);
	F(ethtool_sset_info, data);

	S(ethtool_test);
	F(ethtool_test, cmd); F(ethtool_test, flags); F(ethtool_test, reserved); F(ethtool_test, len);
	F(ethtool_test, data);

	S(ethtool_stats);
	F(ethtool_stats, cmd); F(ethtool_stats, n_stats); F(ethtool_stats, data);

	S(ethtool_perm_addr);
	F(ethtool_perm_addr, cmd); F(ethtool_perm_addr, size); F(ethtool_perm_addr, data);

	S(ethtool_get_features_block);
	F(ethtool_get_features_block, available); F(ethtool_get_features_block, requested);
	F(ethtool_get_features_block, active); F(ethtool_get_features_block, never_changed);

	S(ethtool_gfeatures);
	F(ethtool_gfeatures, cmd); F(ethtool_gfeatures, size); F(ethtool_gfeatures, features);

	S(ethtool_set_features_block);
	F(ethtool_set_features_block, valid); F(ethtool_set_features_block, requested);

	S(ethtool_sfeatures);
	F(ethtool_sfeatures, cmd); F(ethtool_sfeatures, size); F(ethtool_sfeatures, features);

	S(ethtool_link_settings);
	F(ethtool_link_settings, cmd); F(ethtool_link_settings, speed); F(ethtool_link_settings, duplex);
	F(ethtool_link_settings, port); F(ethtool_link_settings, phy_address); F(ethtool_link_settings, autoneg);
	F(ethtool_link_settings, mdio_support); F(ethtool_link_settings, eth_tp_mdix);
	F(ethtool_link_settings, eth_tp_mdix_ctrl); F(ethtool_link_settings, link_mode_masks_nwords);
	F(ethtool_link_settings, transceiver); F(ethtool_link_settings, master_slave_cfg);
	F(ethtool_link_settings, master_slave_state); F(ethtool_link_settings, rate_matching);
	F(ethtool_link_settings, reserved); F(ethtool_link_settings, link_mode_masks);

	S(ethtool_fecparam);
	F(ethtool_fecparam, cmd); F(ethtool_fecparam, active_fec); F(ethtool_fecparam, fec); F(ethtool_fecparam, reserved);
	S(ethtool_ts_info);
	F(ethtool_ts_info, cmd); F(ethtool_ts_info, so_timestamping); F(ethtool_ts_info, phc_index);
	F(ethtool_ts_info, tx_types); F(ethtool_ts_info, tx_reserved); F(ethtool_ts_info, rx_filters);
	F(ethtool_ts_info, rx_reserved);
	S(ethtool_eee);
	F(ethtool_eee, cmd); F(ethtool_eee, supported); F(ethtool_eee, advertised); F(ethtool_eee, lp_advertised);
	F(ethtool_eee, eee_active); F(ethtool_eee, eee_enabled); F(ethtool_eee, tx_lpi_enabled);
	F(ethtool_eee, tx_lpi_timer); F(ethtool_eee, reserved);
	S(ethtool_tunable);
	F(ethtool_tunable, cmd); F(ethtool_tunable, id); F(ethtool_tunable, type_id); F(ethtool_tunable, len);
	F(ethtool_tunable, data);

	S(ethtool_tcpip4_spec);
	F(ethtool_tcpip4_spec, ip4src); F(ethtool_tcpip4_spec, ip4dst); F(ethtool_tcpip4_spec, psrc);
	F(ethtool_tcpip4_spec, pdst); F(ethtool_tcpip4_spec, tos);
	S(ethtool_ah_espip4_spec);
	F(ethtool_ah_espip4_spec, ip4src); F(ethtool_ah_espip4_spec, ip4dst); F(ethtool_ah_espip4_spec, spi);
	F(ethtool_ah_espip4_spec, tos);
	S(ethtool_usrip4_spec);
	F(ethtool_usrip4_spec, ip4src); F(ethtool_usrip4_spec, ip4dst); F(ethtool_usrip4_spec, l4_4_bytes);
	F(ethtool_usrip4_spec, tos); F(ethtool_usrip4_spec, ip_ver); F(ethtool_usrip4_spec, proto);
	S(ethtool_tcpip6_spec);
	F(ethtool_tcpip6_spec, ip6src); F(ethtool_tcpip6_spec, ip6dst); F(ethtool_tcpip6_spec, psrc);
	F(ethtool_tcpip6_spec, pdst); F(ethtool_tcpip6_spec, tclass);
	S(ethtool_ah_espip6_spec);
	F(ethtool_ah_espip6_spec, ip6src); F(ethtool_ah_espip6_spec, ip6dst); F(ethtool_ah_espip6_spec, spi);
	F(ethtool_ah_espip6_spec, tclass);
	S(ethtool_usrip6_spec);
	F(ethtool_usrip6_spec, ip6src); F(ethtool_usrip6_spec, ip6dst); F(ethtool_usrip6_spec, l4_4_bytes);
	F(ethtool_usrip6_spec, tclass); F(ethtool_usrip6_spec, l4_proto);
	S(ethhdr);
	F(ethhdr, h_dest); F(ethhdr, h_source); F(ethhdr, h_proto);
	S(ethtool_flow_ext);
	F(ethtool_flow_ext, padding); F(ethtool_flow_ext, h_dest); F(ethtool_flow_ext, vlan_etype);
	F(ethtool_flow_ext, vlan_tci); F(ethtool_flow_ext, data);
	S(ethtool_rx_flow_spec);
	F(ethtool_rx_flow_spec, flow_type); F(ethtool_rx_flow_spec, h_u); F(ethtool_rx_flow_spec, h_ext);
	F(ethtool_rx_flow_spec, m_u); F(ethtool_rx_flow_spec, m_ext); F(ethtool_rx_flow_spec, ring_cookie);
	F(ethtool_rx_flow_spec, location);
	S(ethtool_rxnfc);
	F(ethtool_rxnfc, cmd); F(ethtool_rxnfc, flow_type); F(ethtool_rxnfc, data); F(ethtool_rxnfc, fs);
	F(ethtool_rxnfc, rss_context); F(ethtool_rxnfc, rule_locs);
	S(ethtool_rxfh_indir);
	F(ethtool_rxfh_indir, cmd); F(ethtool_rxfh_indir, size); F(ethtool_rxfh_indir, ring_index);
	S(ethtool_rxfh);
	F(ethtool_rxfh, cmd); F(ethtool_rxfh, rss_context); F(ethtool_rxfh, indir_size); F(ethtool_rxfh, key_size);
	F(ethtool_rxfh, hfunc); F(ethtool_rxfh, rsvd8); F(ethtool_rxfh, rsvd32); F(ethtool_rxfh, rss_config);
	return 0;
}
