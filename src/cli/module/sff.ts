/**
 * What the module EEPROM decoders share (SFF-8024 code tables, ethtool's line layout and its
 * number formats). A decoder writes into a Sink: the exact text ethtool prints, and for --json
 * the (label, value) pairs of its `\t<label padded to 41> : <value>` lines.
 */

/** One decoded line for --json. */
export interface ModuleField { name: string; value: string }

export class Sink {
  private readonly parts: string[] = [];
  text(s: string): void { this.parts.push(s); }
  /** `\t%-41s : value\n`. */
  line(name: string, value: string): void { this.parts.push(`\t${name.padEnd(41)} : ${value}\n`); }
  toString(): string { return this.parts.join(''); }
  /** The `label : value` lines of the text, in order (lines of any other shape are skipped). */
  fields(): ModuleField[] {
    const out: ModuleField[] = [];
    for (const l of this.toString().split('\n')) {
      const m = /^\t(.{41}) : (.*)$/.exec(l);
      if (m) out.push({ name: m[1].trimEnd(), value: m[2] });
    }
    return out;
  }
}

export const hex2 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
export const u16 = (b: Uint8Array, at: number): number => ((b[at] ?? 0) << 8) | (b[at + 1] ?? 0);
export const s16 = (b: Uint8Array, at: number): number => (u16(b, at) << 16) >> 16;

/**
 * C's printf("%.Nf"): the value's exact binary expansion rounded half to even (toFixed rounds
 * a tie away from zero), "inf"/"-inf"/"nan" as glibc writes them.
 */
export function cfixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return x < 0 ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (Math.abs(x) >= 1e21) return x.toFixed(digits);
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const keep = exact.slice(0, dot + 1 + digits);
  const rest = exact.slice(dot + 1 + digits);
  let up = false;
  if (rest[0] > '5') up = true;
  else if (rest[0] === '5') {
    if (/[1-9]/.test(rest.slice(1))) up = true;
    else {
      const last = digits === 0 ? keep[dot - 1] : keep[keep.length - 1];
      up = Number(last) % 2 === 1;
    }
  }
  let s = digits === 0 ? keep.slice(0, dot) : keep;
  if (up) s = incrementDecimal(s);
  const neg = x < 0 || Object.is(x, -0);
  return (neg ? '-' : '') + s;
}

function incrementDecimal(s: string): string {
  const d = s.split('');
  for (let i = d.length - 1; i >= 0; i--) {
    if (d[i] === '.') continue;
    if (d[i] === '9') d[i] = '0';
    else { d[i] = String(Number(d[i]) + 1); return d.join(''); }
  }
  return '1' + d.join('');
}

/** convert_mw_to_dbm. */
export const mwToDbm = (mw: number): number => 10 * Math.log10(mw / 1000) + 30;

// ---- the value lines of the diagnostics (units as the standards define them) ---------------

export const power = (s: Sink, name: string, v: number): void =>
  s.line(name, `${cfixed(v / 10000, 4)} mW / ${cfixed(mwToDbm(v / 10000), 2)} dBm`);
export const bias = (s: Sink, name: string, v: number): void => s.line(name, `${cfixed(v / 500, 3)} mA`);
export const temp = (s: Sink, name: string, v: number): void =>
  s.line(name, `${cfixed(v / 256, 2)} degrees C / ${cfixed((v / 256) * 1.8 + 32, 2)} degrees F`);
export const vcc = (s: Sink, name: string, v: number): void => s.line(name, `${cfixed(v / 10000, 4)} V`);

/** Index of the five values of a monitored quantity. */
export const LWARN = 0, HWARN = 1, LALRM = 2, HALRM = 3, MCURR = 4;

export interface Diags {
  supportsAlarms: boolean;
  rxPowerType: number;
  txPowerType: number;
  voltage: number[];
  temp: number[];
  bias: number[];
  txPower: number[];
  rxPower: number[];
  chan: { bias: number; rx: number; tx: number }[];
}

export function emptyDiags(): Diags {
  const five = (): number[] => [0, 0, 0, 0, 0];
  return {
    supportsAlarms: false, rxPowerType: 0, txPowerType: 0, voltage: five(), temp: five(), bias: five(),
    txPower: five(), rxPower: five(), chan: Array.from({ length: 32 }, () => ({ bias: 0, rx: 0, tx: 0 })),
  };
}

/** sff_show_thresholds: the twenty alarm and warning thresholds. */
export function showThresholds(s: Sink, d: Diags): void {
  const rows: [string, (s: Sink, n: string, v: number) => void, number[]][] = [
    ['Laser bias current', bias, d.bias], ['Laser output power', power, d.txPower],
    ['Module temperature', temp, d.temp], ['Module voltage', vcc, d.voltage], ['Laser rx power', power, d.rxPower],
  ];
  for (const [what, show, v] of rows) {
    show(s, `${what} high alarm threshold`, v[HALRM]);
    show(s, `${what} low alarm threshold`, v[LALRM]);
    show(s, `${what} high warning threshold`, v[HWARN]);
    show(s, `${what} low warning threshold`, v[LWARN]);
  }
}

// ---- SFF-8024 tables ------------------------------------------------------------------------

export const ID = { SFP: 0x03, QSFP: 0x0c, QSFP_PLUS: 0x0d, QSFP28: 0x11, QSFP_DD: 0x18, OSFP: 0x19, DSFP: 0x1b } as const;

const IDENTIFIERS: Record<number, string> = {
  0x00: 'no module present, unknown, or unspecified', 0x01: 'GBIC', 0x02: 'module soldered to motherboard',
  0x03: 'SFP', 0x04: '300 pin XBI', 0x05: 'XENPAK', 0x06: 'XFP', 0x07: 'XFF', 0x08: 'XFP-E', 0x09: 'XPAK',
  0x0a: 'X2', 0x0b: 'DWDM-SFP', 0x0c: 'QSFP', 0x0d: 'QSFP+', 0x0e: 'CXP', 0x0f: 'Shielded Mini Multilane HD 4X',
  0x10: 'Shielded Mini Multilane HD 8X', 0x11: 'QSFP28', 0x12: 'CXP2/CXP28', 0x13: 'CDFP Style 1/Style 2',
  0x14: 'Shielded Mini Multilane HD 4X Fanout Cable', 0x15: 'Shielded Mini Multilane HD 8X Fanout Cable',
  0x16: 'CDFP Style 3', 0x17: 'microQSFP', 0x18: 'QSFP-DD Double Density 8X Pluggable Transceiver (INF-8628)',
  0x19: 'OSFP 8X Pluggable Transceiver', 0x1b: 'DSFP Dual Small Form Factor Pluggable Transceiver',
};

const CONNECTORS: Record<number, string> = {
  0x00: 'unknown or unspecified', 0x01: 'SC', 0x02: 'Fibre Channel Style 1 copper', 0x03: 'Fibre Channel Style 2 copper',
  0x04: 'BNC/TNC', 0x05: 'Fibre Channel coaxial headers', 0x06: 'FibreJack', 0x07: 'LC', 0x08: 'MT-RJ', 0x09: 'MU',
  0x0a: 'SG', 0x0b: 'Optical pigtail', 0x0c: 'MPO Parallel Optic', 0x0d: 'MPO Parallel Optic - 2x16',
  0x20: 'HSSDC II', 0x21: 'Copper pigtail', 0x22: 'RJ45', 0x23: 'No separable connector', 0x24: 'MXC 2x16',
  0x25: 'CS optical connector', 0x26: 'Mini CS optical connector', 0x27: 'MPO 2x12', 0x28: 'MPO 1x16',
};

export function showIdentifier(s: Sink, b: Uint8Array, at: number): void {
  s.line('Identifier', `${hex2(b[at])} (${IDENTIFIERS[b[at]] ?? 'reserved or unknown'})`);
}

export function showConnector(s: Sink, b: Uint8Array, at: number): void {
  s.line('Connector', `${hex2(b[at])} (${CONNECTORS[b[at]] ?? 'reserved or unknown'})`);
}

/** Encodings 4h–6h mean different things to SFF-8472 and SFF-8636. */
export type SffKind = 'sff8472' | 'sff8636';
const ENCODING_COMMON: Record<number, string> = {
  0x00: 'unspecified', 0x01: '8B/10B', 0x02: '4B/5B', 0x03: 'NRZ', 0x07: '(256B/257B (transcoded FEC-enabled data)', 0x08: 'PAM4',
};
const ENCODING_BY_KIND: Record<SffKind, Record<number, string>> = {
  sff8472: { 0x04: 'Manchester', 0x05: 'SONET Scrambled', 0x06: '64B/66B' },
  sff8636: { 0x04: 'SONET Scrambled', 0x05: '64B/66B', 0x06: 'Manchester' },
};

export function showEncoding(s: Sink, b: Uint8Array, at: number, kind: SffKind): void {
  const v = b[at];
  const name = ENCODING_COMMON[v] ?? ENCODING_BY_KIND[kind][v] ?? 'reserved or unknown';
  s.line('Encoding', `${hex2(v)} (${name})`);
}

export function showOui(s: Sink, b: Uint8Array, at: number): void {
  const h = (v: number): string => v.toString(16).padStart(2, '0');
  s.line('Vendor OUI', `${h(b[at])}:${h(b[at + 1])}:${h(b[at + 2])}`);
}

/** sff_show_ascii: bytes first..last without trailing spaces, unprintables as '_'. */
export function showAscii(s: Sink, b: Uint8Array, first: number, last: number, name: string): void {
  while (first <= last && b[last] === 0x20) last--;
  let v = '';
  for (let i = first; i <= last; i++) v += b[i] >= 32 && b[i] <= 126 ? String.fromCharCode(b[i]) : '_';
  s.line(name, v);
}

export function showValueWithUnit(s: Sink, b: Uint8Array, at: number, name: string, mult: number, unit: string): void {
  s.line(name, `${b[at] * mult}${unit}`);
}

const REVISIONS: Record<number, string> = {
  0x00: 'Revision not specified', 0x01: 'SFF-8436 Rev 4.8 or earlier', 0x02: 'SFF-8436 Rev 4.8 or earlier',
  0x03: 'SFF-8636 Rev 1.3 or earlier', 0x04: 'SFF-8636 Rev 1.4', 0x05: 'SFF-8636 Rev 1.5', 0x06: 'SFF-8636 Rev 2.0',
  0x07: 'SFF-8636 Rev 2.5/2.6/2.7',
};

export function showRevisionCompliance(s: Sink, b: Uint8Array, at: number): void {
  s.line('Revision Compliance', REVISIONS[b[at]] ?? 'Unallocated');
}

/** Print `text` for each set bit: rows of [byte offset, bit, text], in order. */
export function showBits(s: Sink, b: Uint8Array, prefix: string, rows: readonly (readonly [number, number, string])[]): void {
  for (const [at, bit, text] of rows) if (b[at] & (1 << bit)) s.text(`${prefix} ${text}\n`);
}

export const onOff = (v: number): string => (v ? 'On' : 'Off');
export const yesNo = (v: number): string => (v ? 'Yes' : 'No');

/** The part of SFF-8024's extended compliance codes (table 4-4) that SFP and QSFP print alike. */
const AOC_ACC_50G = 'with 50GAUI, 100GAUI-2 or 200GAUI-4 C2M. Providing a worst BER of';
export const SFF8024_EXTENDED_COMMON: Readonly<Record<number, string>> = {
  0x1a: '100GE-DWDM2 (DWDM transceiver using 2 wavelengths on a 1550 nm DWDM grid with a reach up to 80 km)',
  0x1b: '100G 1550nm WDM (4 wavelengths)', 0x1d: '5GBASE-T', 0x1e: '2.5GBASE-T', 0x1f: '40G SWDM4',
  0x20: '100G SWDM4', 0x21: '100G PAM4 BiDi',
  0x22: '4WDM-10 MSA (10km version of 100G CWDM4 with same RS(528,514) FEC in host system)',
  0x23: '4WDM-20 MSA (20km version of 100GBASE-LR4 with RS(528,514) FEC in host system)',
  0x24: '4WDM-40 MSA (40km reach with APD receiver and RS(528,514) FEC in host system)',
  0x25: '100GBASE-DR (clause 140), CAUI-4 (no FEC)', 0x26: '100G-FR or 100GBASE-FR1 (clause 140), CAUI-4 (no FEC)',
  0x27: '100G-LR or 100GBASE-LR1 (clause 140), CAUI-4 (no FEC)',
  0x30: `Active Copper Cable ${AOC_ACC_50G} 10-6 or below`,
  0x31: `Active Optical Cable ${AOC_ACC_50G} 10-6 or below`,
  0x32: `Active Copper Cable ${AOC_ACC_50G} 2.6x10-4 for ACC, 10-5 for AUI, or below`,
  0x33: `Active Optical Cable ${AOC_ACC_50G} 2.6x10-4 for ACC, 10-5 for AUI, or below`,
  0x40: '50GBASE-CR, 100GBASE-CR2, or 200GBASE-CR4', 0x41: '50GBASE-SR, 100GBASE-SR2, or 200GBASE-SR4',
  0x42: '50GBASE-FR or 200GBASE-DR4', 0x43: '200GBASE-FR4', 0x44: '200G 1550 nm PSM4', 0x45: '50GBASE-LR',
  0x46: '200GBASE-LR4', 0x50: '64GFC EA', 0x51: '64GFC SW', 0x52: '64GFC LW', 0x53: '128GFC EA', 0x54: '128GFC SW',
  0x55: '128GFC LW',
};
