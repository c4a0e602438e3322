/**
 * Drop and error counters classified across drivers: every trouble counter (sysfs, driver,
 * standard statistics) gets a direction and a kind from the words of its name, so that
 * `rx_missed_errors`, `rx_no_buffer_count`, `rx_fifo_errors` and `[3]: rx_nobuf` all read as
 * rx_missed whatever the driver calls them.
 *
 *   kind:  drop (drop, discard) · missed (miss, no buffer, fifo, overrun/overflow: the NIC or
 *          the ring had no room) · crc (crc, fcs, FrameCheckSequence) · length (length, runt,
 *          undersize, oversize, giant, jabber, fragment, align) · collision · carrier
 *          (carrier, heartbeat, abort) · timeout · error (any other error/failure)
 *   dir:   rx · tx · '' (neither said)
 */

/** Words of a name: snake, kebab, dotted and camelCase split, lower case. */
function words(name: string): string[] {
  return name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().match(/[a-z]+/g) ?? [];
}

const KINDS: [string, RegExp][] = [
  ['crc', /^(crc|fcs)|^framechecksequence/],
  ['missed', /^(miss|nobuf|fifo|overrun|overflow|over$|nobuffer)/],
  ['length', /^(length|runt|undersize|oversize|giant|jabber|fragment|align|toolong|tooshort)/],
  ['collision', /collision/],
  ['carrier', /^(carrier|heartbeat|abort)/],
  ['timeout', /^timeout/],
  ['drop', /^(drop|discard)|drops?$|dropped$|discards$/],
  ['error', /^(err|fail)|errs?$|errors?$|fail(ed)?$/],
];

/** `rx_missed`, `tx_drop`, `crc` … for a trouble counter's name; null when no kind is found. */
export function troubleClass(name: string): string | null {
  const w = words(name);
  const joined = w.join('');
  let kind: string | null = null;
  for (const [k, re] of KINDS) if (w.some(x => re.test(x)) || (k === 'crc' && /framechecksequence/.test(joined)) || (k === 'missed' && /nobuf|nobuffer/.test(joined))) { kind = k; break; }
  if (!kind) return null;
  let dir = '';
  if (w.some(x => /^(rx|rxq|receive|received|in|rcv)$/.test(x))) dir = 'rx';
  else if (w.some(x => /^(tx|txq|transmit|transmitted|out|xmit|snd)$/.test(x))) dir = 'tx';
  else if (kind === 'crc' || kind === 'length' || kind === 'missed') dir = 'rx';
  else if (kind === 'collision' || kind === 'carrier') dir = 'tx';
  return dir ? `${dir}_${kind}` : kind;
}
