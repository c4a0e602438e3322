/**
 * Readers for ethtool 6.1's text output (ioctl path): the independent oracle for what the Nic
 * API returns, in the host's kernel tests and in the rig's guest tests.
 */
import assert from 'node:assert/strict';
import type { DriverInfo } from '../../src/device';

/** "key: value" lines, trimmed (first occurrence wins). */
export function keyValues(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    if (!m.has(k)) m.set(k, line.slice(i + 1).trim());
  }
  return m;
}

/** -g / -l: the "Pre-set maximums" and "Current hardware settings" sections as numbers. */
export function sections(text: string): { max: Map<string, number>; cur: Map<string, number> } | null {
  const i = text.indexOf('Pre-set maximums:');
  const j = text.indexOf('Current hardware settings:');
  if (i < 0 || j < i) return null;
  const num = (m: Map<string, string>): Map<string, number> => new Map([...m].map(([k, v]) => [k, Number(v)]));
  return { max: num(keyValues(text.slice(i + 17, j))), cur: num(keyValues(text.slice(j + 26))) };
}

export function ringOf(text: string): Record<string, number> | null {
  const s = sections(text);
  if (!s) return null;
  return {
    rx_max_pending: s.max.get('RX') as number, rx_mini_max_pending: s.max.get('RX Mini') as number,
    rx_jumbo_max_pending: s.max.get('RX Jumbo') as number, tx_max_pending: s.max.get('TX') as number,
    rx_pending: s.cur.get('RX') as number, rx_mini_pending: s.cur.get('RX Mini') as number,
    rx_jumbo_pending: s.cur.get('RX Jumbo') as number, tx_pending: s.cur.get('TX') as number,
  };
}

export function channelsOf(text: string): Record<string, number> | null {
  const s = sections(text);
  if (!s) return null;
  return {
    max_rx: s.max.get('RX') as number, max_tx: s.max.get('TX') as number, max_other: s.max.get('Other') as number,
    max_combined: s.max.get('Combined') as number, rx_count: s.cur.get('RX') as number, tx_count: s.cur.get('TX') as number,
    other_count: s.cur.get('Other') as number, combined_count: s.cur.get('Combined') as number,
  };
}

/** -c key → struct ethtool_coalesce field. */
export const COALESCE_KEYS: Readonly<Record<string, string>> = {
  'stats-block-usecs': 'stats_block_coalesce_usecs', 'sample-interval': 'rate_sample_interval',
  'pkt-rate-low': 'pkt_rate_low', 'pkt-rate-high': 'pkt_rate_high',
  'rx-usecs': 'rx_coalesce_usecs', 'rx-frames': 'rx_max_coalesced_frames',
  'rx-usecs-irq': 'rx_coalesce_usecs_irq', 'rx-frames-irq': 'rx_max_coalesced_frames_irq',
  'tx-usecs': 'tx_coalesce_usecs', 'tx-frames': 'tx_max_coalesced_frames',
  'tx-usecs-irq': 'tx_coalesce_usecs_irq', 'tx-frames-irq': 'tx_max_coalesced_frames_irq',
  'rx-usecs-low': 'rx_coalesce_usecs_low', 'rx-frames-low': 'rx_max_coalesced_frames_low',
  'tx-usecs-low': 'tx_coalesce_usecs_low', 'tx-frames-low': 'tx_max_coalesced_frames_low',
  'rx-usecs-high': 'rx_coalesce_usecs_high', 'rx-frames-high': 'rx_max_coalesced_frames_high',
  'tx-usecs-high': 'tx_coalesce_usecs_high', 'tx-frames-high': 'tx_max_coalesced_frames_high',
};

export function coalesceOf(text: string): Record<string, number> | null {
  // The netlink path prints n/a for what the driver does not support: those fields are NaN.
  const m = /^Adaptive RX: (on|off|n\/a)  TX: (on|off|n\/a)$/m.exec(text);
  if (!m) return null;
  const kv = keyValues(text);
  const flag = (v: string): number => (v === 'on' ? 1 : v === 'off' ? 0 : NaN);
  const out: Record<string, number> = { use_adaptive_rx_coalesce: flag(m[1]), use_adaptive_tx_coalesce: flag(m[2]) };
  for (const [k, field] of Object.entries(COALESCE_KEYS)) out[field] = Number(kv.get(k));
  return out;
}

export function pauseOf(text: string): { autoneg: number; rx_pause: number; tx_pause: number } | null {
  const m = /^Autonegotiate:\t(on|off)\nRX:\t\t(on|off)\nTX:\t\t(on|off)$/m.exec(text);
  if (!m) return null;
  return { autoneg: m[1] === 'on' ? 1 : 0, rx_pause: m[2] === 'on' ? 1 : 0, tx_pause: m[3] === 'on' ? 1 : 0 };
}

const WOL_LETTERS = 'pumbagsf';
export function wolBits(letters: string): number {
  let v = 0;
  for (const ch of letters) { const i = WOL_LETTERS.indexOf(ch); if (i >= 0) v |= 1 << i; }
  return v;
}
export function wolLetters(bits: number): string {
  let s = '';
  for (let i = 0; i < 8; i++) if (bits & (1 << i)) s += WOL_LETTERS[i];
  return s || 'd';
}

/** The settings page: the parts the API tests compare. */
export interface Page {
  autoneg?: 'on' | 'off';
  speed?: string;
  duplex?: string;
  port?: string;
  phyad?: number;
  advertised?: string;
  wolSupported?: string;
  wol?: string;
  msglvl?: number;
  link?: 'yes' | 'no';
}

export function pageOf(text: string): Page {
  const p: Page = {};
  const get = (re: RegExp): string | undefined => re.exec(text)?.[1];
  const an = get(/^\tAuto-negotiation: (on|off)$/m);
  if (an) p.autoneg = an as 'on' | 'off';
  p.speed = get(/^\tSpeed: (.*)$/m);
  p.duplex = get(/^\tDuplex: (.*)$/m);
  p.port = get(/^\tPort: (.*)$/m);
  const phy = get(/^\tPHYAD: (\d+)$/m);
  if (phy !== undefined) p.phyad = Number(phy);
  // The advertised block may wrap onto continuation lines (tab + spaces).
  const adv = /^\tAdvertised link modes: +(.*(?:\n\t {24}.*)*)$/m.exec(text);
  if (adv) p.advertised = adv[1].split(/\s+/).filter(Boolean).join(' ');
  p.wolSupported = get(/^\tSupports Wake-on: (\w*)$/m);
  p.wol = get(/^\tWake-on: (\w*)$/m);
  // The ioctl path indents with a tab, the netlink path with 8 spaces.
  const ml = get(/^(?:\t| {8})Current message level: 0x([0-9a-f]{8}) /m);
  if (ml !== undefined) p.msglvl = parseInt(ml, 16);
  const link = get(/^\tLink detected: (yes|no)$/m);
  if (link) p.link = link as 'yes' | 'no';
  return p;
}

/** Link-mode bit → ethtool's name, for the modes these drivers have. */
export const MODE_NAMES: Readonly<Record<number, string>> = {
  0: '10baseT/Half', 1: '10baseT/Full', 2: '100baseT/Half', 3: '100baseT/Full', 4: '1000baseT/Half', 5: '1000baseT/Full',
  12: '10000baseT/Full', 15: '2500baseX/Full', 41: '1000baseX/Full', 47: '2500baseT/Full', 48: '5000baseT/Full',
};

/** ethtool's "Advertised link modes" text for a mask (the modes above; else null: unknown). */
export function modesText(words: readonly number[]): string | null {
  const names: string[] = [];
  const known = new Set(Object.keys(MODE_NAMES).map(Number));
  const FLAGS = new Set([6, 7, 8, 9, 10, 11, 13, 14, 16, 49, 50, 51, 74]);
  for (let bit = 0; bit < words.length * 32; bit++) {
    if (!(words[bit >> 5] & (1 << (bit & 31)))) continue;
    if (FLAGS.has(bit)) continue;
    if (!known.has(bit)) return null;
    names.push(MODE_NAMES[bit]);
  }
  return names.length ? names.join(' ') : 'Not reported';
}

/** -t output: overall result and the per-test values. */
export function selfTestOf(text: string): { failed: boolean; results: { name: string; value: number }[] } | null {
  const m = /^The test result is (PASS|FAIL)$/m.exec(text);
  if (!m) return null;
  const results: { name: string; value: number }[] = [];
  const i = text.indexOf('The test extra info:\n');
  if (i >= 0) {
    for (const line of text.slice(i + 21).split('\n')) {
      const r = /^(.*)\t (-?\d+)$/.exec(line);
      if (r) results.push({ name: r[1], value: Number(r[2]) });
    }
  }
  return { failed: m[1] === 'FAIL', results };
}

/** -S: counter names and values, in order. */
export function statsOf(text: string): { name: string; value: bigint }[] | null {
  if (!text.startsWith('NIC statistics:\n')) return null;
  return text.split('\n').slice(1).filter(Boolean).map(l => {
    const m = /^ {5}(.*): (\d+)$/.exec(l);
    if (!m) throw new Error(`unexpected -S line ${JSON.stringify(l)}`);
    return { name: m[1], value: BigInt(m[2]) };
  });
}

/** -k: kernel feature name → active, for the lines that name kernel features. */
export function featuresOf(text: string): Map<string, { on: boolean; fixed: boolean }> {
  const m = new Map<string, { on: boolean; fixed: boolean }>();
  for (const line of text.split('\n')) {
    const r = /^\t?([a-z0-9-]+): (on|off)( \[fixed\]| \[requested (?:on|off)\])?$/.exec(line);
    if (r) m.set(r[1], { on: r[2] === 'on', fixed: r[3] === ' [fixed]' });
  }
  return m;
}

/** `ethtool -i` text against Nic.driverInfo(): every field ethtool prints. */
export function assertDrvinfo(info: DriverInfo, text: string): void {
  // Values exactly as printed, not trimmed: a driver's strings may end in spaces.
  const kv = new Map(text.split('\n').map(l => /^([a-z-]+): (.*)$/.exec(l)).filter(m => m !== null).map(m => [m[1], m[2]]));
  assert.equal(info.driver, kv.get('driver'));
  assert.equal(info.version, kv.get('version'));
  assert.equal(info.fw_version, kv.get('firmware-version'));
  assert.equal(info.erom_version, kv.get('expansion-rom-version'));
  assert.equal(info.bus_info, kv.get('bus-info'));
  assert.equal(info.n_stats > 0 ? 'yes' : 'no', kv.get('supports-statistics'));
  assert.equal(info.testinfo_len > 0 ? 'yes' : 'no', kv.get('supports-test'));
  assert.equal(info.eedump_len > 0 ? 'yes' : 'no', kv.get('supports-eeprom-access'));
  assert.equal(info.regdump_len > 0 ? 'yes' : 'no', kv.get('supports-register-dump'));
  assert.equal(info.n_priv_flags > 0 ? 'yes' : 'no', kv.get('supports-priv-flags'));
}
