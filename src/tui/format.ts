/** Human formatting of rates and counts for the TUI and the text output. */

const SI = ['', 'k', 'M', 'G', 'T', 'P'];

/** 1234567 → "1.23M"; keeps 3 significant digits. */
export function si(v: number): string {
  if (!Number.isFinite(v)) return '-';
  if (v === 0) return '0';
  const neg = v < 0;
  let x = Math.abs(v), k = 0;
  while (x >= 999.5 && k < SI.length - 1) { x /= 1000; k++; }
  const s = x >= 99.5 ? x.toFixed(0) : x >= 9.95 ? x.toFixed(1) : x.toFixed(2);
  return (neg ? '-' : '') + s + SI[k];
}

export function bits(bps: number): string { return si(bps) + 'b/s'; }

/** Rates below 1/s still show (e.g. a drop every few seconds): "0.33". */
export function perSec(v: number): string {
  if (v > 0 && v < 10) return v.toFixed(2).replace(/\.?0+$/, '') || '0';
  return si(v);
}

export function speed(mbps: number | null): string {
  if (mbps === null) return '-';
  return mbps >= 1000 ? `${+(mbps / 1000).toFixed(1)}G` : `${mbps}M`;
}

/** Group digits of a u64 for the counter table: 12345678 → "12,345,678". */
export function grouped(v: bigint): string {
  const s = (v < 0n ? -v : v).toString();
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (i > 0 && (s.length - i) % 3 === 0) out += ',';
    out += s[i];
  }
  return v < 0n ? '-' + out : out;
}

export function imbalanceText(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : '-';
}

export function pad(s: string, w: number): string { return s.length >= w ? s.slice(0, w) : s + ' '.repeat(w - s.length); }
export function rpad(s: string, w: number): string { return s.length >= w ? s.slice(0, w) : ' '.repeat(w - s.length) + s; }

/** operstate, at most 8 characters ("lowerlayerdown" → "lldown"). */
export function operText(s: string): string {
  return s === 'lowerlayerdown' ? 'lldown' : s === 'notpresent' ? 'notpres' : s.slice(0, 8);
}
