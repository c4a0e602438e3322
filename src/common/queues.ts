/**
 * Per-queue statistics found from driver stat names, whatever the driver's naming scheme (the live
 * view's queue panel and the exporter's `queue` label).
 *
 * One tokenizer splits a name into words and numbers ("rx_queue_0_packets" → rx queue 0 packets,
 * "rx0_packets" → rx 0 packets, "tx-3.tx_packets" → tx 3 tx packets, "[2]: rx_bytes" → 2 rx bytes);
 * then the direction (first rx/tx-like word), the queue index (the number that follows a
 * queue-ish word, or stands first) and the metric (the remaining words) are picked out in
 * whatever order they come. Numbers that follow words such as "prio", "lane", "size", "vf" are
 * not queues. Finally a metric only counts as per-queue for the unbroken run of indices from 0,
 * which rules out size buckets such as "rx_64_bytes" / "rx_128_bytes".
 */

export type Dir = 'rx' | 'tx';

export interface QueueStat {
  dir: Dir;
  queue: number;
  /** The words that are neither the direction nor the queue, joined with '_' ("packets", "xdp_drops"). */
  metric: string;
}

/** Words, lower-cased, and numbers: separators dropped, letter/digit boundaries split. */
export function tokenize(name: string): string[] {
  return name.toLowerCase().match(/[a-z]+|[0-9]+/g) ?? [];
}

const DIRECTION: Record<string, Dir> = {
  rx: 'rx', tx: 'tx', rxq: 'rx', txq: 'tx', rxqueue: 'rx', txqueue: 'tx', recv: 'rx', xmit: 'tx',
};
/** Words after which a number is a queue index. */
const QUEUE_WORDS = new Set([
  'q', 'queue', 'queues', 'ch', 'chan', 'channel', 'ring', 'rings', 'vec', 'rvec', 'tvec', 'qp', 'rxq', 'txq',
  'rxqueue', 'txqueue', 'rx', 'tx', 'xdpq', 'sq', 'rq', 'cq',
]);
/** Words after which a number is anything but a queue (priority, lane, size bucket, VF, CPU…). */
const NOT_QUEUE_WORDS = new Set([
  'prio', 'priority', 'pri', 'tc', 'cos', 'up', 'lane', 'lanes', 'vf', 'pf', 'port', 'size', 'pause', 'pfc',
  'buf', 'buffer', 'vl', 'tclass', 'vport', 'class', 'node', 'numa', 'cpu', 'phy', 'pcs', 'fec', 'bin', 'ts',
  'to', 'vlan', 'mac', 'sfp', 'module', 'link', 'bank', 'ipv', 'ip', 'v',
]);

const isNum = (t: string): boolean => t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57;

/** Direction, queue index and metric of one stat name, or null when it is not a per-queue stat. */
export function parseQueueStat(name: string): QueueStat | null {
  const tok = tokenize(name);
  let strong = -1, weak = -1, strongCount = 0, weakCount = 0;
  for (let i = 0; i < tok.length; i++) {
    if (!isNum(tok[i])) continue;
    const prev = i > 0 ? tok[i - 1] : undefined;
    if (prev !== undefined && isNum(prev)) continue; // "65_127": second half of a range
    if (prev !== undefined && NOT_QUEUE_WORDS.has(prev)) continue;
    if (prev === undefined || QUEUE_WORDS.has(prev)) { if (strong < 0) strong = i; strongCount++; }
    else { if (weak < 0) weak = i; weakCount++; }
  }
  let qi: number;
  if (strongCount === 1) qi = strong;
  else if (strongCount === 0 && weakCount === 1) qi = weak;
  else return null;
  const queue = Number(tok[qi]);
  if (!Number.isSafeInteger(queue) || queue > 65535) return null;

  let dir: Dir | undefined;
  const metric: string[] = [];
  for (let i = 0; i < tok.length; i++) {
    if (i === qi) continue;
    const t = tok[i];
    const d = DIRECTION[t];
    // The first direction word is the direction; a repeat right after the index ("tx-0.tx_packets")
    // is redundant, elsewhere it is part of the metric ("tx0_xdp_tx", "rx_queue_0_xdp_tx").
    if (d !== undefined && (dir === undefined || (d === dir && i === qi + 1))) { dir ??= d; continue; }
    // The queue word right before the index ("queue" in rx_queue_0) is not part of the metric.
    if (i === qi - 1 && QUEUE_WORDS.has(t)) continue;
    metric.push(t);
  }
  if (dir === undefined || metric.length === 0) return null;
  return { dir, queue, metric: metric.join('_') };
}

/** One per-queue metric: which stat index holds it for each queue (-1 where a queue lacks it). */
export interface QueueMetric {
  dir: Dir;
  metric: string;
  /** stat index per queue, length = the layout's queue count */
  index: Int32Array;
}

export interface QueueLayout {
  /** Number of queues (highest index + 1 across accepted metrics). */
  count: number;
  metrics: QueueMetric[];
  /** The metric shown as packets/s per direction (null when the driver has none). */
  rxPackets: QueueMetric | null;
  txPackets: QueueMetric | null;
  rxBytes: QueueMetric | null;
  txBytes: QueueMetric | null;
  /** Metrics that count trouble (drops, errors…), summed per queue. */
  alarms: QueueMetric[];
}

const PACKET_WORDS = new Set(['packets', 'pkts', 'frames', 'pktnum', 'pkt', 'cnt', 'packet']);
const BYTE_WORDS = new Set(['bytes', 'octets', 'byte']);

/** How well `metric` fits as "the" packet (or byte) counter: 0 = not at all. */
function fit(metric: string, words: Set<string>): number {
  const parts = metric.split('_');
  if (parts.some(p => isAlarmWord(p))) return 0;
  if (parts.length === 1 && words.has(parts[0])) return 100;
  if (!parts.some(p => p !== 'cnt' && words.has(p))) return 0; // "cnt" alone is too vague inside longer names
  let score = 60 - parts.length;
  // Plain traffic beats subsets of it (xdp, multicast, csum…).
  if (parts.some(p => p === 'xdp' || p === 'mcast' || p === 'multicast' || p === 'bcast' || p === 'broadcast' || p === 'csum' || p === 'lro' || p === 'gro' || p === 'tso' || p === 'tls' || p === 'redirect')) score -= 30;
  if (parts.includes('ucast') || parts.includes('unicast')) score -= 5;
  return score;
}

/** Group stat names into per-queue metrics (see the module comment). */
export function queueLayout(names: readonly string[]): QueueLayout {
  const groups = new Map<string, { dir: Dir; metric: string; byQueue: Map<number, number> }>();
  names.forEach((name, i) => {
    const q = parseQueueStat(name);
    if (!q) return;
    const key = `${q.dir} ${q.metric}`;
    let g = groups.get(key);
    if (!g) groups.set(key, g = { dir: q.dir, metric: q.metric, byQueue: new Map() });
    if (!g.byQueue.has(q.queue)) g.byQueue.set(q.queue, i);
  });
  let count = 0;
  const accepted: { dir: Dir; metric: string; byQueue: Map<number, number> }[] = [];
  for (const g of groups.values()) {
    // Queues are numbered 0..n-1: keep the unbroken run from 0; what lies beyond a gap is
    // something else that happens to share the metric name (rx_64_bytes next to rx0_bytes).
    let n = 0;
    while (g.byQueue.has(n)) n++;
    if (n === 0) continue;
    for (const q of [...g.byQueue.keys()]) if (q >= n) g.byQueue.delete(q);
    accepted.push(g);
    count = Math.max(count, n);
  }
  const metrics: QueueMetric[] = accepted.map(g => {
    const index = new Int32Array(count).fill(-1);
    for (const [q, i] of g.byQueue) index[q] = i;
    return { dir: g.dir, metric: g.metric, index };
  });
  const best = (dir: Dir, words: Set<string>): QueueMetric | null => {
    let pick: QueueMetric | null = null, score = 0;
    for (const m of metrics) {
      if (m.dir !== dir) continue;
      const s = fit(m.metric, words);
      if (s > score) { score = s; pick = m; }
    }
    return pick;
  };
  return {
    count, metrics,
    rxPackets: best('rx', PACKET_WORDS), txPackets: best('tx', PACKET_WORDS),
    rxBytes: best('rx', BYTE_WORDS), txBytes: best('tx', BYTE_WORDS),
    alarms: metrics.filter(m => m.metric.split('_').some(isAlarmWord)),
  };
}

const QUEUE_MARKER = /^\s*(rx|tx)\s*queue\s*#\s*$/i;

/** A block marker of queueBlocks() ("Tx Queue#"): its value is a queue number, not a counter. */
export function isQueueMarker(name: string): boolean { return QUEUE_MARKER.test(name); }

/**
 * Per-queue statistics laid out as blocks under a marker (vmxnet3: "Tx Queue#" — whose value is
 * the queue's number — then its indented counters, the same names again for each queue). The
 * k-th block of a direction is queue k; a counter indented under another ("drv dropped tx total"
 * then "too many frags") is named after both; the direction word is dropped from the metric.
 * Stat index → its queue stat (markers and what lies outside blocks are absent).
 */
export function queueBlocks(names: readonly string[]): Map<number, QueueStat> {
  const out = new Map<number, QueueStat>();
  const next: Record<Dir, number> = { rx: 0, tx: 0 };
  let block: { dir: Dir; queue: number; indent: number } | null = null;
  const stack: { indent: number; words: string[] }[] = [];
  names.forEach((name, i) => {
    const indent = name.length - name.trimStart().length;
    const m = QUEUE_MARKER.exec(name);
    if (m) {
      const dir = m[1].toLowerCase() as Dir;
      block = { dir, queue: next[dir]++, indent };
      stack.length = 0;
      return;
    }
    if (!block) return;
    if (indent <= block.indent) { block = null; return; }
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const own = tokenize(name);
    const d = own.findIndex(w => DIRECTION[w] === block!.dir);
    if (d >= 0) own.splice(d, 1);
    const words = [...(stack.length ? stack[stack.length - 1].words : []), ...own];
    stack.push({ indent, words });
    if (words.length) out.set(i, { dir: block.dir, queue: block.queue, metric: words.join('_') });
  });
  return out;
}

/** busiest ÷ mean of `rates` (queues of one direction); NaN when there is no traffic or one queue. */
export function imbalance(rates: ArrayLike<number>): number {
  const n = rates.length;
  if (n < 2) return NaN;
  let sum = 0, max = 0;
  for (let i = 0; i < n; i++) { const r = rates[i]; sum += r; if (r > max) max = r; }
  if (!(sum > 0)) return NaN;
  return max / (sum / n);
}

// ---- trouble counters ----------------------------------------------------------------------

const ALARM_PREFIXES = [
  'drop', 'err', 'miss', 'fifo', 'timeout', 'discard', 'overrun', 'overflow', 'crc', 'fail', 'abort',
  'collision', 'nobuf', 'lost', 'underrun', 'runt', 'jabber', 'giant', 'oversize', 'undersize', 'fragment',
];
const ALARM_SUFFIXES = ['drop', 'drops', 'dropped', 'err', 'errs', 'error', 'errors', 'discards', 'timeout', 'timeouts', 'fail', 'failed'];

/** Whether one word of a stat name names trouble (drops, errors, misses, fifo, timeouts…). */
export function isAlarmWord(w: string): boolean {
  for (const p of ALARM_PREFIXES) if (w.startsWith(p)) return true;
  for (const s of ALARM_SUFFIXES) if (w.length > s.length && w.endsWith(s)) return true;
  return false;
}

/** Whether a counter of this name moving means trouble (and is highlighted). */
export function isAlarmName(name: string): boolean {
  // camelCase words apart too (the standard statistics' FrameCheckSequenceErrors, etherStatsJabbers)
  const lower = name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  const words = lower.match(/[a-z]+/g);
  return words !== null && (words.some(isAlarmWord) || /no_?buf/.test(lower));
}
