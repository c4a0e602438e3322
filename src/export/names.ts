/**
 * Metric names of the exporter. Driver statistics (`ethtool -S`) are named exactly as
 * node_exporter's ethtool collector names them, so that its dashboards and alerts carry over:
 *
 *   sanitize: every run of characters outside [0-9A-Za-z_], with the underscores around it, → "_"
 *   then lower-case, leading "_" dropped, the words rx/tx (between "_" or the ends) → received/transmitted,
 *   prefixed with node_ethtool_; seven names it declares itself get "_total"
 *   (rx_bytes → node_ethtool_received_bytes_total …).
 *
 * Names that sanitize to the same metric are all dropped (as node_exporter does). What node_exporter
 * does not have is named under ethkit_: per-queue statistics folded into one name with a `queue`
 * label, the standard statistics groups, settings, drift, scrape errors.
 */

const SANITIZE = /_*[^0-9A-Za-z_]+_*/g;
const RX = /(^|_)rx(_|$)/g;
const TX = /(^|_)tx(_|$)/g;

/** node_exporter's SanitizeMetricName. */
export function sanitize(name: string): string {
  return name.replace(SANITIZE, '_');
}

/**
 * The words rx/tx spelled out as node_exporter does: one non-overlapping pass each, so a word
 * whose leading "_" the previous match took stays ("tx_tx_timeouts" → transmitted_tx_timeouts).
 */
function spellDirections(s: string): string {
  return s.replace(RX, '$1received$2').replace(TX, '$1transmitted$2');
}

/** Stat names node_exporter declares with its own metric name. */
const NODE_EXPORTER_FIXED: Readonly<Record<string, string>> = {
  rx_bytes: 'node_ethtool_received_bytes_total',
  rx_dropped: 'node_ethtool_received_dropped_total',
  rx_errors: 'node_ethtool_received_errors_total',
  rx_packets: 'node_ethtool_received_packets_total',
  tx_bytes: 'node_ethtool_transmitted_bytes_total',
  tx_errors: 'node_ethtool_transmitted_errors_total',
  tx_packets: 'node_ethtool_transmitted_packets_total',
};

/** node_exporter's metric name for a driver stat, or null when nothing of the name is left. */
export function ethtoolStatMetric(stat: string): string | null {
  const s = sanitize(stat);
  const fixed = NODE_EXPORTER_FIXED[s];
  if (fixed) return fixed;
  const body = spellDirections(s.toLowerCase().replace(/^_+/, ''));
  return body ? `node_ethtool_${body}` : null;
}

/** A per-queue metric (direction and metric words from ../common/queues) under one name. */
export function queueMetric(dir: 'rx' | 'tx', metric: string): string {
  const body = sanitize(metric).toLowerCase().replace(/^_+|_+$/g, '');
  return `ethkit_queue_${dir === 'rx' ? 'received' : 'transmitted'}_${spellDirections(body)}`;
}

/** A standard statistic (group eth-mac, kernel name FramesTransmittedOK) → ethkit_eth_mac_frames_transmitted_ok_total. */
export function standardStatMetric(group: string, stat: string): string {
  const snake = stat.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
  const body = sanitize(`${group}_${snake}`).toLowerCase().replace(/^_+|_+$/g, '');
  return `ethkit_${body}_total`;
}

/** An ethtool key (rx-usecs, adaptive-rx) as a name part (rx_usecs). */
export function keyPart(key: string): string {
  return sanitize(key).toLowerCase();
}
