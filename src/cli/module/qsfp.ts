/**
 * QSFP/QSFP+/QSFP28 modules (SFF-8636, SFF-8436), as ethtool 6.1 prints them: lower memory,
 * upper page 00h, and page 03h's thresholds when the memory is paged. A page here is the
 * 256-byte view ethtool uses: bytes 128..255 are the page's upper half.
 */
import {
  Sink, hex2, u16, s16, cfixed, showIdentifier, showConnector, showEncoding, showAscii, showValueWithUnit, showOui,
  showRevisionCompliance, showBits, onOff, bias, power, temp, vcc, showThresholds, emptyDiags,
  HALRM, LALRM, HWARN, LWARN, MCURR, ID, SFF8024_EXTENDED_COMMON } from './sff';

export interface Sff8636Map {
  lower: Uint8Array;
  page00: Uint8Array;
  page03: Uint8Array | null;
}

const pfx = (name: string): string => `\t${name.padEnd(41)} :`;
const EXT_DESC = pfx('Extended identifier description');
const TRANSCEIVER = pfx('Transceiver type');

const PAGE3_PRESENT_IS_FLAT = 1 << 2; // Status 2 bit 2: flat memory (no page 03h)

function showExtIdentifier(s: Sink, m: Sff8636Map): void {
  const v = m.page00[0x81];
  s.line('Extended identifier', hex2(v));
  const cls = ['1.5W', '2.0W', '2.5W', '3.5W'][(v & 0xc0) >> 6];
  s.text(`${EXT_DESC} ${cls} max. Power consumption\n`);
  s.text(`${EXT_DESC} ${v & 0x08 ? 'CDR present in TX,' : 'No CDR in TX,'}`);
  s.text(v & 0x04 ? ' CDR present in RX\n' : ' No CDR in RX\n');
  s.text([`${EXT_DESC}`, `${EXT_DESC} 4.0W max. Power consumption,`, `${EXT_DESC} 4.5W max. Power consumption, `,
    `${EXT_DESC} 5.0W max. Power consumption, `][v & 0x03]);
  const pwr = m.lower[0x5d];
  s.text(pwr & 0x04 ? ' High Power Class (> 3.5 W) enabled\n' : ' High Power Class (> 3.5 W) not enabled\n');
  s.line('Power set', onOff(pwr & 0x02));
  s.line('Power override', onOff(pwr & 0x01));
}

/** Extended specification compliance (byte 192) when byte 131 bit 7 says to look there. */
const EXTENDED: Record<number, string> = {
  ...SFF8024_EXTENDED_COMMON,
  0x00: '(reserved or unknown)', 0x01: '100G Ethernet: 100G AOC or 25GAUI C2M AOC with worst BER of 5x10^(-5)',
  0x02: '100G Ethernet: 100G Base-SR4 or 25GBase-SR', 0x03: '100G Ethernet: 100G Base-LR4',
  0x04: '100G Ethernet: 100G Base-ER4', 0x05: '100G Ethernet: 100G Base-SR10',
  0x06: '100G Ethernet: 100G CWDM4 MSA with FEC', 0x07: '100G Ethernet: 100G PSM4 Parallel SMF',
  0x08: '100G Ethernet: 100G ACC or 25GAUI C2M ACC with worst BER of 5x10^(-5)',
  0x09: '100G Ethernet: 100G CWDM4 MSA without FEC', 0x0a: '(reserved or unknown)',
  0x0b: '100G Ethernet: 100G Base-CR4 or 25G Base-CR CA-L', 0x0c: '25G Ethernet: 25G Base-CR CA-S',
  0x0d: '25G Ethernet: 25G Base-CR CA-N', 0x10: '40G Ethernet: 40G Base-ER4', 0x11: '4x10G Ethernet: 10G Base-SR',
  0x12: '40G Ethernet: 40G PSM4 Parallel SMF', 0x13: 'Ethernet: G959.1 profile P1I1-2D1 (10709 MBd, 2km, 1310nm SM)',
  0x14: 'Ethernet: G959.1 profile P1S1-2D2 (10709 MBd, 40km, 1550nm SM)',
  0x15: 'Ethernet: G959.1 profile P1L1-2D2 (10709 MBd, 80km, 1550nm SM)',
  0x16: '10G Ethernet: 10G Base-T with SFI electrical interface', 0x17: '100G Ethernet: 100G CLR4',
  0x18: '100G Ethernet: 100G AOC or 25GAUI C2M AOC with worst BER of 10^(-12)',
  0x19: '100G Ethernet: 100G ACC or 25GAUI C2M ACC with worst BER of 10^(-12)',
  0x1c: '10GBASE-T Short Reach (30 meters)',
};

const BITS_BEFORE_EXT: readonly (readonly [number, number, string])[] = [
  [0x83, 6, '10G Ethernet: 10G Base-LRM'], [0x83, 5, '10G Ethernet: 10G Base-LR'], [0x83, 4, '10G Ethernet: 10G Base-SR'],
  [0x83, 3, '40G Ethernet: 40G Base-CR4'], [0x83, 2, '40G Ethernet: 40G Base-SR4'], [0x83, 1, '40G Ethernet: 40G Base-LR4'],
  [0x83, 0, '40G Ethernet: 40G Active Cable (XLPPI)'],
];
const BITS_AFTER_EXT: readonly (readonly [number, number, string])[] = [
  [0x84, 3, '40G OTN (OTU3B/OTU3C)'], [0x84, 2, 'SONET: OC-48, long reach'], [0x84, 1, 'SONET: OC-48, intermediate reach'],
  [0x84, 0, 'SONET: OC-48, short reach'], [0x85, 5, 'SAS 6.0G'], [0x85, 4, 'SAS 3.0G'],
  [0x86, 3, 'Ethernet: 1000BASE-T'], [0x86, 2, 'Ethernet: 1000BASE-CX'], [0x86, 1, 'Ethernet: 1000BASE-LX'],
  [0x86, 0, 'Ethernet: 1000BASE-SX'],
  [0x87, 7, 'FC: very long distance (V)'], [0x87, 6, 'FC: short distance (S)'], [0x87, 5, 'FC: intermediate distance (I)'],
  [0x87, 4, 'FC: long distance (L)'], [0x87, 3, 'FC: medium distance (M)'], [0x87, 1, 'FC: Longwave laser (LC)'],
  [0x87, 0, 'FC: Electrical inter-enclosure (EL)'],
  [0x88, 7, 'FC: Electrical intra-enclosure (EL)'], [0x88, 6, 'FC: Shortwave laser w/o OFC (SN)'],
  [0x88, 5, 'FC: Shortwave laser with OFC (SL)'], [0x88, 4, 'FC: Longwave laser (LL)'],
  [0x89, 7, 'FC: Twin Axial Pair (TW)'], [0x89, 6, 'FC: Twisted Pair (TP)'], [0x89, 5, 'FC: Miniature Coax (MI)'],
  [0x89, 4, 'FC: Video Coax (TV)'], [0x89, 3, 'FC: Multimode, 62.5m (M6)'], [0x89, 2, 'FC: Multimode, 50m (M5)'],
  [0x89, 1, 'FC: Multimode, 50um (OM3)'], [0x89, 0, 'FC: Single Mode (SM)'],
  [0x8a, 7, 'FC: 1200 MBytes/sec'], [0x8a, 6, 'FC: 800 MBytes/sec'], [0x8a, 5, 'FC: 1600 MBytes/sec'],
  [0x8a, 4, 'FC: 400 MBytes/sec'], [0x8a, 2, 'FC: 200 MBytes/sec'], [0x8a, 0, 'FC: 100 MBytes/sec'],
];

function showTransceiver(s: Sink, m: Sff8636Map): void {
  const p = m.page00;
  s.line('Transceiver codes', [0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a].map(i => hex2(p[i])).join(' '));
  showBits(s, p, TRANSCEIVER, BITS_BEFORE_EXT);
  if (p[0x83] & 0x80) s.text(`${TRANSCEIVER} ${EXTENDED[p[0xc0]] ?? '(reserved or unknown)'}\n`);
  showBits(s, p, TRANSCEIVER, BITS_AFTER_EXT);
}

/** Transmitter technology (byte 147's high nibble). */
export const TRANSMITTER_TECH: readonly string[] = [
  '850 nm VCSEL', '1310 nm VCSEL', '1550 nm VCSEL', '1310 nm FP', '1310 nm DFB', '1550 nm DFB', '1310 nm EML',
  '1550 nm EML', 'Others/Undefined', '1490 nm DFB', 'Copper cable unequalized', 'Copper cable passive equalized',
  'Copper cable, near and far end limiting active equalizers', 'Copper cable, far end limiting active equalizers',
  'Copper cable, near end limiting active equalizers', 'Copper cable, linear active equalizers',
];

function showWavelengthOrCopper(s: Sink, m: Sff8636Map): void {
  const p = m.page00;
  const tech = p[0x93] & 0xf0;
  s.line('Transmitter technology', `${hex2(tech)} (${TRANSMITTER_TECH[tech >> 4]})`);
  if (tech >= 0xa0) {
    s.line('Attenuation at 2.5GHz', `${p[0xba]}db`);
    s.line('Attenuation at 5.0GHz', `${p[0xbb]}db`);
    s.line('Attenuation at 7.0GHz', `${p[0xbc]}db`);
    s.line('Attenuation at 12.9GHz', `${p[0xbd]}db`);
  } else {
    s.line('Laser wavelength', `${cfixedNm(u16(p, 0xba) * 0.05)}nm`);
    s.line('Laser wavelength tolerance', `${cfixedNm(u16(p, 0xbc) * 0.005)}nm`);
  }
}

const cfixedNm = (x: number): string => cfixed(x, 3);

/** [label, lower-memory offset, bit] of the alarm and warning flags, in ethtool's order. */
const SFF8636_FLAGS: readonly (readonly [string, number, number])[] = (() => {
  const rows: [string, number, number][] = [];
  const four = (what: string, chanWord: string, pad: boolean, base: number): void => {
    for (let ch = 1; ch <= 4; ch++) {
      const at = base + (ch > 2 ? 1 : 0);
      const hi = ch % 2 === 1 ? 4 : 0;
      const kinds: [string, number][] = [['high alarm', 3], ['low alarm', 2], ['high warning', 1], ['low warning', 0]];
      for (const [k, b] of kinds) {
        const label = pad ? `${what} ${k.padEnd(12)} (${chanWord} ${ch})` : `${what} ${k} (${chanWord} ${ch})`;
        rows.push([label, at, hi + b]);
      }
    }
  };
  four('Laser bias current', 'Chan', true, 0x0b);
  for (const [what, at] of [['Module temperature', 0x06], ['Module voltage', 0x07]] as const) {
    rows.push([`${what} high alarm`, at, 7], [`${what} low alarm`, at, 6], [`${what} high warning`, at, 5], [`${what} low warning`, at, 4]);
  }
  four('Laser tx power', 'Channel', true, 0x0d);
  four('Laser rx power', 'Channel', true, 0x09);
  return rows;
})();

export { SFF8636_FLAGS };

function showDom(s: Sink, m: Sff8636Map): void {
  const d = emptyDiags();
  d.supportsAlarms = m.page03 !== null;
  d.rxPowerType = m.page00[0xdc] & 0x08;
  d.voltage[MCURR] = u16(m.lower, 0x1a);
  d.temp[MCURR] = s16(m.lower, 0x16);
  const p3 = m.page03;
  if (p3) {
    const slots = [HALRM, LALRM, HWARN, LWARN];
    const base: [keyof typeof d & ('voltage' | 'temp' | 'bias' | 'txPower' | 'rxPower'), number][] = [
      ['voltage', 0x90], ['temp', 0x80], ['bias', 0xb8], ['txPower', 0xc0], ['rxPower', 0xb0],
    ];
    for (const [key, at] of base) slots.forEach((slot, i) => { d[key][slot] = key === 'temp' ? s16(p3, at + 2 * i) : u16(p3, at + 2 * i); });
  }
  for (let i = 0; i < 4; i++) {
    d.chan[i] = { bias: u16(m.lower, 0x2a + 2 * i), rx: u16(m.lower, 0x22 + 2 * i), tx: u16(m.lower, 0x32 + 2 * i) };
  }
  temp(s, 'Module temperature', d.temp[MCURR]);
  vcc(s, 'Module voltage', d.voltage[MCURR]);
  // A temperature of 0 or -1/256 stands for "no monitoring".
  if (d.temp[MCURR] === 0 || d.temp[MCURR] === -1) return;
  s.line('Alarm/warning flags implemented', d.supportsAlarms ? 'Yes' : 'No');
  for (let i = 0; i < 4; i++) bias(s, `Laser tx bias current (Channel ${i + 1})`, d.chan[i].bias);
  for (let i = 0; i < 4; i++) power(s, `Transmit avg optical power (Channel ${i + 1})`, d.chan[i].tx);
  const rxName = d.rxPowerType ? 'Rcvr signal avg optical power' : 'Receiver signal OMA';
  for (let i = 0; i < 4; i++) power(s, `${rxName}(Channel ${i + 1})`, d.chan[i].rx);
  if (!d.supportsAlarms) return;
  for (const [name, at, bit] of SFF8636_FLAGS) s.line(name, m.lower[at] & (1 << bit) ? 'On' : 'Off');
  showThresholds(s, d);
}

function showPageZero(s: Sink, m: Sff8636Map): void {
  const p = m.page00;
  showExtIdentifier(s, m);
  showConnector(s, p, 0x82);
  showTransceiver(s, m);
  showEncoding(s, p, 0x8b, 'sff8636');
  showValueWithUnit(s, p, 0x8c, 'BR, Nominal', 100, 'Mbps');
  s.line('Rate identifier', hex2(p[0x8d]));
  showValueWithUnit(s, p, 0x8e, 'Length (SMF,km)', 1, 'km');
  showValueWithUnit(s, p, 0x8f, 'Length (OM3 50um)', 2, 'm');
  showValueWithUnit(s, p, 0x90, 'Length (OM2 50um)', 1, 'm');
  showValueWithUnit(s, p, 0x91, 'Length (OM1 62.5um)', 1, 'm');
  showValueWithUnit(s, p, 0x92, 'Length (Copper or Active cable)', 1, 'm');
  showWavelengthOrCopper(s, m);
  showAscii(s, p, 0x94, 0xa3, 'Vendor name');
  showOui(s, p, 0xa5);
  showAscii(s, p, 0xa8, 0xb7, 'Vendor PN');
  showAscii(s, p, 0xb8, 0xb9, 'Vendor rev');
  showAscii(s, p, 0xc4, 0xd3, 'Vendor SN');
  showAscii(s, p, 0xd4, 0xdb, 'Date code');
  showRevisionCompliance(s, m.lower, 0x01);
}

export function showSff8636(s: Sink, m: Sff8636Map): void {
  showIdentifier(s, m.lower, 0);
  const id = m.lower[0];
  if (id === ID.QSFP || id === ID.QSFP_PLUS || id === ID.QSFP28) {
    showPageZero(s, m);
    showDom(s, m);
  }
}

/** The memory map of an ioctl blob: page 03h only when paged and the blob is 640 bytes long. */
export function sff8636MapFromBlob(id: Uint8Array, eepromLen: number): Sff8636Map {
  const paged = !(id[0x02] & PAGE3_PRESENT_IS_FLAT) && eepromLen === 640;
  return { lower: id, page00: id, page03: paged ? id.subarray(3 * 128) : null };
}

/** Whether the lower memory says page 03h exists (paged memory). */
export const sff8636HasPage3 = (lower: Uint8Array): boolean => !(lower[0x02] & PAGE3_PRESENT_IS_FLAT);
