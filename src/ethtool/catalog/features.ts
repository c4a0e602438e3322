/**
 * The kernel's feature names (netdev_features_strings of net/ethtool/common.c), once: every
 * name any kernel from Linux 6.1 to 6.18 reports in the ETH_SS_FEATURES string set. A kernel
 * reports only the names of its own version (6.12 dropped tx-lockless, later kernels
 * netns-local and fcoe-mtu, 6.18 added tx-tcp-accecn-segmentation), so the profile schema
 * takes the union: a profile written for one kernel loads on another, and a misspelt name is
 * still caught. test/profile-netns.test.ts checks that the host kernel's names are all here.
 */
export const KERNEL_FEATURES: readonly string[] = [
  'tx-scatter-gather', 'tx-checksum-ipv4', 'tx-checksum-ip-generic', 'tx-checksum-ipv6', 'highdma',
  'tx-scatter-gather-fraglist', 'tx-vlan-hw-insert', 'rx-vlan-hw-parse', 'rx-vlan-filter',
  'tx-vlan-stag-hw-insert', 'rx-vlan-stag-hw-parse', 'rx-vlan-stag-filter', 'vlan-challenged',
  'tx-generic-segmentation', 'tx-lockless', 'netns-local', 'rx-gro', 'rx-gro-hw', 'rx-lro',
  'tx-tcp-segmentation', 'tx-gso-robust', 'tx-tcp-ecn-segmentation', 'tx-tcp-accecn-segmentation',
  'tx-tcp-mangleid-segmentation', 'tx-tcp6-segmentation', 'tx-fcoe-segmentation', 'tx-gre-segmentation',
  'tx-gre-csum-segmentation', 'tx-ipxip4-segmentation', 'tx-ipxip6-segmentation', 'tx-udp_tnl-segmentation',
  'tx-udp_tnl-csum-segmentation', 'tx-gso-partial', 'tx-tunnel-remcsum-segmentation', 'tx-sctp-segmentation',
  'tx-esp-segmentation', 'tx-udp-segmentation', 'tx-gso-list', 'tx-checksum-fcoe-crc', 'tx-checksum-sctp',
  'fcoe-mtu', 'rx-ntuple-filter', 'rx-hashing', 'rx-checksum', 'tx-nocache-copy', 'loopback', 'rx-fcs',
  'rx-all', 'l2-fwd-offload', 'hw-tc-offload', 'esp-hw-offload', 'esp-tx-csum-hw-offload',
  'rx-udp_tunnel-port-offload', 'tls-hw-record', 'tls-hw-tx-offload', 'tls-hw-rx-offload', 'rx-gro-list',
  'macsec-hw-offload', 'rx-udp-gro-forwarding', 'hsr-tag-ins-offload', 'hsr-tag-rm-offload',
  'hsr-fwd-offload', 'hsr-dup-offload',
];

const SET = new Set(KERNEL_FEATURES);

/** Is `name` a kernel feature name of some Linux 6.1 … 6.18? */
export function isKernelFeature(name: string): boolean {
  return SET.has(name);
}
