/**
 * SFP modules: SFF-8079 (the A0h ID page) and SFF-8472 (the A2h diagnostics page), as ethtool
 * 6.1 prints them. `id` is the ioctl blob's layout: A0h at 0, A2h at 256.
 */
import {
  Sink, hex2, u16, s16, showIdentifier, showConnector, showEncoding, showAscii, showValueWithUnit, showBits,
  bias, power, temp, vcc, showThresholds, emptyDiags, Diags, HALRM, LALRM, HWARN, LWARN, MCURR, SFF8024_EXTENDED_COMMON } from './sff';

const pfx = (name: string): string => `\t${name.padEnd(41)} :`;
const TRANSCEIVER = pfx('Transceiver type');

/** [byte, bit, text] of the transceiver compliance codes, in ethtool's order. */
const TRANSCEIVER_BITS: readonly (readonly [number, number, string])[] = [
  [3, 7, '10G Ethernet: 10G Base-ER [SFF-8472 rev10.4 onwards]'], [3, 6, '10G Ethernet: 10G Base-LRM'],
  [3, 5, '10G Ethernet: 10G Base-LR'], [3, 4, '10G Ethernet: 10G Base-SR'],
  [3, 3, 'Infiniband: 1X SX'], [3, 2, 'Infiniband: 1X LX'], [3, 1, 'Infiniband: 1X Copper Active'],
  [3, 0, 'Infiniband: 1X Copper Passive'],
  [4, 7, 'ESCON: ESCON MMF, 1310nm LED'], [4, 6, 'ESCON: ESCON SMF, 1310nm Laser'],
  [4, 5, 'SONET: OC-192, short reach'], [4, 4, 'SONET: SONET reach specifier bit 1'],
  [4, 3, 'SONET: SONET reach specifier bit 2'], [4, 2, 'SONET: OC-48, long reach'],
  [4, 1, 'SONET: OC-48, intermediate reach'], [4, 0, 'SONET: OC-48, short reach'],
  [5, 6, 'SONET: OC-12, single mode, long reach'], [5, 5, 'SONET: OC-12, single mode, inter. reach'],
  [5, 4, 'SONET: OC-12, short reach'], [5, 2, 'SONET: OC-3, single mode, long reach'],
  [5, 1, 'SONET: OC-3, single mode, inter. reach'], [5, 0, 'SONET: OC-3, short reach'],
  [6, 7, 'Ethernet: BASE-PX'], [6, 6, 'Ethernet: BASE-BX10'], [6, 5, 'Ethernet: 100BASE-FX'],
  [6, 4, 'Ethernet: 100BASE-LX/LX10'], [6, 3, 'Ethernet: 1000BASE-T'], [6, 2, 'Ethernet: 1000BASE-CX'],
  [6, 1, 'Ethernet: 1000BASE-LX'], [6, 0, 'Ethernet: 1000BASE-SX'],
  [7, 7, 'FC: very long distance (V)'], [7, 6, 'FC: short distance (S)'], [7, 5, 'FC: intermediate distance (I)'],
  [7, 4, 'FC: long distance (L)'], [7, 3, 'FC: medium distance (M)'],
  [7, 2, 'FC: Shortwave laser, linear Rx (SA)'], [7, 1, 'FC: Longwave laser (LC)'],
  [7, 0, 'FC: Electrical inter-enclosure (EL)'],
  [8, 7, 'FC: Electrical intra-enclosure (EL)'], [8, 6, 'FC: Shortwave laser w/o OFC (SN)'],
  [8, 5, 'FC: Shortwave laser with OFC (SL)'], [8, 4, 'FC: Longwave laser (LL)'], [8, 3, 'Active Cable'],
  [8, 2, 'Passive Cable'], [8, 1, 'FC: Copper FC-BaseT'],
  [9, 7, 'FC: Twin Axial Pair (TW)'], [9, 6, 'FC: Twisted Pair (TP)'], [9, 5, 'FC: Miniature Coax (MI)'],
  [9, 4, 'FC: Video Coax (TV)'], [9, 3, 'FC: Multimode, 62.5um (M6)'], [9, 2, 'FC: Multimode, 50um (M5)'],
  [9, 0, 'FC: Single Mode (SM)'],
  [10, 7, 'FC: 1200 MBytes/sec'], [10, 6, 'FC: 800 MBytes/sec'], [10, 4, 'FC: 400 MBytes/sec'],
  [10, 2, 'FC: 200 MBytes/sec'], [10, 0, 'FC: 100 MBytes/sec'],
];

/** SFF-8024 extended compliance codes (byte 36), the ones ethtool names. */
const EXTENDED: Record<number, string> = {
  ...SFF8024_EXTENDED_COMMON,
  0x01: '100G AOC or 25GAUI C2M AOC with worst BER of 5x10^(-5)', 0x02: '100G Base-SR4 or 25GBase-SR',
  0x03: '100G Base-LR4 or 25GBase-LR', 0x04: '100G Base-ER4 or 25GBase-ER',
  0x08: '100G ACC or 25GAUI C2M ACC with worst BER of 5x10^(-5)', 0x0b: '100G Base-CR4 or 25G Base-CR CA-L',
  0x0c: '25G Base-CR CA-S', 0x0d: '25G Base-CR CA-N', 0x16: '10Gbase-T with SFI electrical interface',
  0x18: '100G AOC or 25GAUI C2M AOC with worst BER of 10^(-12)',
  0x19: '100G ACC or 25GAUI C2M ACC with worst BER of 10^(-12)', 0x1c: '10Gbase-T Short Reach',
};

export { EXTENDED as SFF8024_EXTENDED_COMPLIANCE };

function showTransceiver(s: Sink, id: Uint8Array): void {
  const codes = [3, 4, 5, 6, 7, 8, 9, 10, 36].map(i => hex2(id[i])).join(' ');
  s.line('Transceiver codes', codes);
  showBits(s, id, TRANSCEIVER, TRANSCEIVER_BITS);
  const ext = EXTENDED[id[36]];
  if (ext !== undefined) s.text(`${TRANSCEIVER} Extended: ${ext}\n`);
}

function showExtIdentifier(s: Sink, id: Uint8Array): void {
  const v = id[1];
  const what = v === 0x00 ? 'GBIC not specified / not MOD_DEF compliant'
    : v === 0x04 ? 'GBIC/SFP defined by 2-wire interface ID'
      : v <= 0x07 ? `GBIC compliant with MOD_DEF ${v}` : 'unknown';
  s.line('Extended identifier', `${hex2(v)} (${what})`);
}

const RATE_IDS: Record<number, string> = {
  0x00: 'unspecified', 0x01: '4/2/1G Rate_Select & AS0/AS1', 0x02: '8/4/2G Rx Rate_Select only',
  0x03: '8/4/2G Independent Rx & Tx Rate_Select', 0x04: '8/4/2G Tx Rate_Select only',
};

function showWavelengthOrCopper(s: Sink, id: Uint8Array): void {
  const v = id[60];
  if (id[8] & (1 << 2)) {
    const what = v === 0x00 ? 'unspecified' : v === 0x01 ? 'SFF-8431 appendix E' : 'unknown';
    s.line('Passive Cu cmplnce.', `${hex2(v)} (${what}) [SFF-8472 rev10.4 only]`);
  } else if (id[8] & (1 << 3)) {
    const what = v === 0x00 ? 'unspecified' : v === 0x01 ? 'SFF-8431 appendix E' : v === 0x04 ? 'SFF-8431 limiting' : 'unknown';
    s.line('Active Cu cmplnce.', `${hex2(v)} (${what}) [SFF-8472 rev10.4 only]`);
  } else s.line('Laser wavelength', `${u16(id, 60)}nm`);
}

const OPTION = pfx('Option');
const OPTION_BITS: readonly (readonly [number, number, string])[] = [
  [65, 1, 'RX_LOS implemented'], [65, 2, 'RX_LOS implemented, inverted'], [65, 3, 'TX_FAULT implemented'],
  [65, 4, 'TX_DISABLE implemented'], [65, 5, 'RATE_SELECT implemented'], [65, 6, 'Tunable transmitter technology'],
  [65, 7, 'Receiver decision threshold implemented'], [64, 0, 'Linear receiver output implemented'],
  [64, 1, 'Power level 2 requirement'], [64, 2, 'Cooled transceiver implemented'],
  [64, 3, 'Retimer or CDR implemented'], [64, 4, 'Paging implemented'], [64, 5, 'Power level 3 requirement'],
];

/** sff8079_show_all: the A0h page (nothing after the identifier unless it is a 2-wire ID SFP/GBIC). */
export function showSff8079(s: Sink, id: Uint8Array): void {
  showIdentifier(s, id, 0);
  if (!((id[0] === 0x02 || id[0] === 0x03) && id[1] === 0x04)) return;
  let nom: number, min: number, max: number;
  if (id[12] === 0) nom = min = max = 0;
  else if (id[12] === 255) { nom = id[66] * 250; max = id[67]; min = id[67]; }
  else { nom = id[12] * 100; max = id[66]; min = id[67]; }
  showExtIdentifier(s, id);
  showConnector(s, id, 2);
  showTransceiver(s, id);
  showEncoding(s, id, 11, 'sff8472');
  s.line('BR, Nominal', `${nom}MBd`);
  s.line('Rate identifier', `${hex2(id[13])} (${RATE_IDS[id[13]] ?? 'reserved or unknown'})`);
  for (const [at, name, mult, unit] of [
    [14, 'Length (SMF,km)', 1, 'km'], [15, 'Length (SMF)', 100, 'm'], [16, 'Length (50um)', 10, 'm'],
    [17, 'Length (62.5um)', 10, 'm'], [18, 'Length (Copper)', 1, 'm'], [19, 'Length (OM3)', 10, 'm'],
  ] as const) showValueWithUnit(s, id, at, name, mult, unit);
  showWavelengthOrCopper(s, id);
  showAscii(s, id, 20, 35, 'Vendor name');
  s.line('Vendor OUI', [37, 38, 39].map(i => id[i].toString(16).padStart(2, '0')).join(':'));
  showAscii(s, id, 40, 55, 'Vendor PN');
  showAscii(s, id, 56, 59, 'Vendor rev');
  s.line('Option values', `${hex2(id[64])} ${hex2(id[65])}`);
  showBits(s, id, OPTION, OPTION_BITS);
  s.line('BR margin, max', `${max}%`);
  s.line('BR margin, min', `${min}%`);
  showAscii(s, id, 68, 83, 'Vendor SN');
  showAscii(s, id, 84, 91, 'Date code');
}

// ---- SFF-8472 diagnostics (A2h) -----------------------------------------------------------

const A2 = 0x100;
/** A2h offsets of each quantity: current value, then high alarm, low alarm, high warning, low warning. */
const A2_VALUES = {
  temp: [96, 0, 2, 4, 6], voltage: [98, 8, 10, 12, 14], bias: [100, 16, 18, 20, 22],
  txPower: [102, 24, 26, 28, 30], rxPower: [104, 32, 34, 36, 38],
} as const;

const ALRM = 112, WARN = 116;
/** [label, A2h offset, bit] of the alarm and warning flags, in ethtool's order. */
const SFF8472_FLAGS: readonly (readonly [string, number, number])[] = [
  ['Laser bias current high alarm', ALRM, 3], ['Laser bias current low alarm', ALRM, 2],
  ['Laser bias current high warning', WARN, 3], ['Laser bias current low warning', WARN, 2],
  ['Laser output power high alarm', ALRM, 1], ['Laser output power low alarm', ALRM, 0],
  ['Laser output power high warning', WARN, 1], ['Laser output power low warning', WARN, 0],
  ['Module temperature high alarm', ALRM, 7], ['Module temperature low alarm', ALRM, 6],
  ['Module temperature high warning', WARN, 7], ['Module temperature low warning', WARN, 6],
  ['Module voltage high alarm', ALRM, 5], ['Module voltage low alarm', ALRM, 4],
  ['Module voltage high warning', WARN, 5], ['Module voltage low warning', WARN, 4],
  ['Laser rx power high alarm', ALRM + 1, 7], ['Laser rx power low alarm', ALRM + 1, 6],
  ['Laser rx power high warning', WARN + 1, 7], ['Laser rx power low warning', WARN + 1, 6],
];

/** The slots of the five values: [MCURR, HALRM, LALRM, HWARN, LWARN] as A2_VALUES lists them. */
const SLOTS = [MCURR, HALRM, LALRM, HWARN, LWARN];

/** A big-endian IEEE-754 single at `at`. */
const beFloat = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getFloat32(at, false);

/** C's conversion of a double to a 16-bit member (x86-64: truncation through a 32-bit integer). */
const toU16 = (x: number): number => Math.trunc(x) & 0xffff;
const toS16 = (x: number): number => (Math.trunc(x) << 16) >> 16;

function parseSff8472(id: Uint8Array): Diags & { dom: boolean; extCal: boolean } {
  const d = emptyDiags();
  const dom = (id[92] & (1 << 6)) !== 0;
  const extCal = (id[92] & (1 << 4)) !== 0;
  d.supportsAlarms = (id[93] & (1 << 7)) !== 0;
  d.rxPowerType = id[92] & (1 << 3);
  for (const [key, offs] of Object.entries(A2_VALUES) as [keyof typeof A2_VALUES, readonly number[]][]) {
    offs.forEach((o, i) => { d[key][SLOTS[i]] = key === 'temp' ? s16(id, A2 + o) : u16(id, A2 + o); });
  }
  if (extCal) {
    // Formula 1 (slope . offset) for temperature, voltage, bias, TX power; formula 2 (a
    // polynomial in single precision) for RX power.
    const slope = (o: number): number => id[A2 + o] + id[A2 + o + 1] / 256;
    const offset = (o: number): number => s16(id, A2 + o);
    const f = Math.fround;
    for (let i = 0; i < 5; i++) {
      d.bias[i] = toU16(d.bias[i] * slope(76)); d.txPower[i] = toU16(d.txPower[i] * slope(80));
      d.voltage[i] = toU16(d.voltage[i] * slope(88)); d.temp[i] = toS16(d.temp[i] * slope(84));
      d.bias[i] = (d.bias[i] + offset(78)) & 0xffff; d.txPower[i] = (d.txPower[i] + offset(82)) & 0xffff;
      d.voltage[i] = (d.voltage[i] + offset(90)) & 0xffff; d.temp[i] = ((d.temp[i] + offset(86)) << 16) >> 16;
      const rx = d.rxPower[i];
      let v = toU16(beFloat(id, A2 + 72));
      for (const o of [68, 64, 60]) v = toU16(f(v + f(rx * beFloat(id, A2 + o))));
      d.rxPower[i] = v;
    }
  }
  return { ...d, dom, extCal };
}

/** sff8472_show_all: the diagnostics of the A2h page. */
export function showSff8472(s: Sink, id: Uint8Array): void {
  const d = parseSff8472(id);
  if (!d.dom) {
    s.line('Optical diagnostics support', 'No');
    return;
  }
  s.line('Optical diagnostics support', 'Yes');
  bias(s, 'Laser bias current', d.bias[MCURR]);
  power(s, 'Laser output power', d.txPower[MCURR]);
  power(s, d.rxPowerType ? 'Receiver signal average optical power' : 'Receiver signal OMA', d.rxPower[MCURR]);
  temp(s, 'Module temperature', d.temp[MCURR]);
  vcc(s, 'Module voltage', d.voltage[MCURR]);
  s.line('Alarm/warning flags implemented', d.supportsAlarms ? 'Yes' : 'No');
  if (!d.supportsAlarms) return;
  for (const [name, at, bit] of SFF8472_FLAGS) s.line(name, id[A2 + at] & (1 << bit) ? 'On' : 'Off');
  showThresholds(s, d);
}

