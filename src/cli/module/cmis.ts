/**
 * CMIS modules (QSFP-DD, OSFP, DSFP) as ethtool 6.1 prints them. Pages are 256-byte views
 * (bytes 128..255 the upper half); page 11h per bank carries the lane monitors and flags.
 */
import {
  Sink, hex2, u16, s16, cfixed, showIdentifier, showConnector, showAscii, showValueWithUnit, showOui, onOff, yesNo,
  bias, power, temp, vcc, showThresholds, emptyDiags, Diags, HALRM, LALRM, HWARN, LWARN, MCURR,
} from './sff';

export interface CmisMap {
  lower: Uint8Array;
  page00: Uint8Array;
  page01: Uint8Array | null;
  page02: Uint8Array | null;
  /** Page 11h of banks 0..3 (null when not read). */
  page11: (Uint8Array | null)[];
}

const FLAT = 0x80; // byte 2 bit 7: flat memory

/** Whether the lower memory says the module is paged (pages 01h, 02h, 11h exist). */
export const cmisPaged = (lower: Uint8Array): boolean => !(lower[0x02] & FLAT);

/** The number of banks page 01h advertises, or null for a reserved value (ethtool: EINVAL). */
export function cmisBanks(page01: Uint8Array): number | null {
  return [1, 2, 4][page01[0x8e] & 0x03] ?? null;
}

/** float32 arithmetic, as ethtool computes lengths and power. */
const f = Math.fround;

function showPowerInfo(s: Sink, m: CmisMap): void {
  s.line('Power class', String(((m.page00[0xc8] >> 5) & 0x07) + 1));
  s.line('Max power', `${cfixed(f(m.page00[0xc9] * f(0.25)), 2)}W`);
}

const MULTIPLIERS = [f(0.1), f(1), f(10), f(100)];

function showCableAssemblyLength(s: Sink, m: CmisMap): void {
  const v = m.page00[0xca];
  if (v === 0xff) {
    s.line('Cable assembly length', '> 6.3km');
    return;
  }
  s.line('Cable assembly length', `${cfixed(f((v & 0x3f) * MULTIPLIERS[v >> 6]), 2)}m`);
}

function showSignalIntegrity(s: Sink, m: CmisMap): void {
  const p = m.page01;
  if (!p) return;
  s.line('Tx CDR bypass control', yesNo(p[0xa1] & 0x02));
  s.line('Rx CDR bypass control', yesNo(p[0xa2] & 0x02));
  s.line('Tx CDR', yesNo(p[0xa1] & 0x01));
  s.line('Rx CDR', yesNo(p[0xa2] & 0x01));
}

const MEDIA_TECH: Record<number, string> = {
  0x00: ' (850 nm VCSEL)', 0x01: ' (1310 nm VCSEL)', 0x02: ' (1550 nm VCSEL)', 0x03: ' (1310 nm FP)',
  0x04: ' (1310 nm DFB)', 0x05: ' (1550 nm DFB)', 0x06: ' (1310 nm EML)', 0x07: ' (1550 nm EML)',
  0x08: ' (Others/Undefined)', 0x09: ' (1490 nm DFB)', 0x0a: ' (Copper cable, unequalized)',
  0x0b: ' (Copper cable, passive equalized)', 0x0c: ' (Copper cable, near and far end limiting active equalizers)',
  0x0d: ' (Copper cable, far end limiting active equalizers)', 0x0e: ' (Copper cable, near end limiting active equalizers)',
  0x0f: ' (Copper cable, linear active equalizers)',
};

function showMediaTech(s: Sink, m: CmisMap): void {
  const v = m.page00[0xd4];
  // An unnamed value leaves the line open (ethtool prints no newline), as the next line shows.
  const name = MEDIA_TECH[v];
  s.text(`\t${'Transmitter technology'.padEnd(41)} : ${hex2(v)}${name !== undefined ? `${name}\n` : ''}`);
  if (v >= 0x0a) {
    s.line('Attenuation at 5GHz', `${m.page00[0xcc]}db`);
    s.line('Attenuation at 7GHz', `${m.page00[0xcd]}db`);
    s.line('Attenuation at 12.9GHz', `${m.page00[0xce]}db`);
    s.line('Attenuation at 25.8GHz', `${m.page00[0xcf]}db`);
  } else if (m.page01) {
    s.line('Laser wavelength', `${cfixed(u16(m.page01, 0x8a) * 0.05, 3)}nm`);
    s.line('Laser wavelength tolerance', `${cfixed(u16(m.page01, 0x8c) * 0.005, 3)}nm`);
  }
}

function showLinkLengths(s: Sink, m: CmisMap): void {
  const p = m.page01;
  if (!p) return;
  const v = p[0x84];
  const mul = (v & 0xc0) === 0x00 ? f(0.1) : f(1);
  s.line('Length (SMF)', `${cfixed(f((v & 0x3f) * mul), 2)}km`);
  showValueWithUnit(s, p, 0x85, 'Length (OM5)', 2, 'm');
  showValueWithUnit(s, p, 0x86, 'Length (OM4)', 2, 'm');
  showValueWithUnit(s, p, 0x87, 'Length (OM3 50/125um)', 2, 'm');
  showValueWithUnit(s, p, 0x88, 'Length (OM2 50/125um)', 1, 'm');
}

function showVendor(s: Sink, m: CmisMap): void {
  const p = m.page00;
  showAscii(s, p, 0x81, 0x90, 'Vendor name');
  showOui(s, p, 0x91);
  showAscii(s, p, 0x94, 0xa3, 'Vendor PN');
  showAscii(s, p, 0xa4, 0xa5, 'Vendor rev');
  showAscii(s, p, 0xa6, 0xb5, 'Vendor SN');
  showAscii(s, p, 0xb6, 0xbd, 'Date code');
  // CLEI: shown unless it starts with NUL or is ten spaces (strncmp stops at a NUL).
  const clei = p.subarray(0xbe, 0xbe + 10);
  let blank = true;
  for (let i = 0; i < 10; i++) {
    if (clei[i] !== 0x20) { blank = false; break; }
  }
  if (clei[0] !== 0 && !blank) showAscii(s, p, 0xbe, 0xc7, 'CLEI code');
}

const MODULE_STATES: Record<number, string> = {
  0x01: 'ModuleLowPwr', 0x02: 'ModulePwrUp', 0x03: 'ModuleReady', 0x04: 'ModulePwrDn', 0x05: 'ModuleFault',
};
const FAULT_CAUSES: Record<number, string> = {
  0x00: 'No fault detected / not supported', 0x01: 'TEC runaway', 0x02: 'Data memory corrupted',
  0x03: 'Program memory corrupted',
};

function showModuleState(s: Sink, m: CmisMap): void {
  const st = (m.lower[0x03] & 0x0e) >> 1;
  s.line('Module State', `${hex2(st)} (${MODULE_STATES[st] ?? 'reserved or unknown'})`);
  if (st === 0x05) {
    const c = m.lower[0x29];
    s.line('Module Fault Cause', `${hex2(c)} (${FAULT_CAUSES[c] ?? 'reserved or unknown'})`);
  }
  s.line('LowPwrAllowRequestHW', onOff(m.lower[0x1a] & 0x40));
  s.line('LowPwrRequestSW', onOff(m.lower[0x1a] & 0x10));
}

const MOD_FLAGS: readonly (readonly [string, number])[] = [
  ['Module temperature high alarm', 0x01], ['Module temperature low alarm', 0x02],
  ['Module temperature high warning', 0x04], ['Module temperature low warning', 0x08],
  ['Module voltage high alarm', 0x10], ['Module voltage low alarm', 0x20],
  ['Module voltage high warning', 0x40], ['Module voltage low warning', 0x80],
];

const TX_BIAS_MON = 0x01, TX_PWR_MON = 0x02, RX_PWR_MON = 0x04;
/** [label with %d, page 11h offset, page 01h byte A0h mask that advertises it]. */
const CHAN_FLAGS: readonly (readonly [string, number, number])[] = [
  ['Laser bias current high alarm   (Chan %d)', 0x8f, TX_BIAS_MON], ['Laser bias current low alarm    (Chan %d)', 0x90, TX_BIAS_MON],
  ['Laser bias current high warning (Chan %d)', 0x91, TX_BIAS_MON], ['Laser bias current low warning  (Chan %d)', 0x92, TX_BIAS_MON],
  ['Laser tx power high alarm   (Channel %d)', 0x8b, TX_PWR_MON], ['Laser tx power low alarm    (Channel %d)', 0x8c, TX_PWR_MON],
  ['Laser tx power high warning (Channel %d)', 0x8d, TX_PWR_MON], ['Laser tx power low warning  (Channel %d)', 0x8e, TX_PWR_MON],
  ['Laser rx power high alarm   (Channel %d)', 0x95, RX_PWR_MON], ['Laser rx power low alarm    (Channel %d)', 0x96, RX_PWR_MON],
  ['Laser rx power high warning (Channel %d)', 0x97, RX_PWR_MON], ['Laser rx power low warning  (Channel %d)', 0x98, RX_PWR_MON],
];

function parseDom(m: CmisMap, p1: Uint8Array): Diags {
  const d = emptyDiags();
  d.rxPowerType = m.page01 ? p1[0x97] & 0x10 : 0;
  d.txPowerType = p1[0xa0] & TX_PWR_MON;
  d.voltage[MCURR] = u16(m.lower, 0x10);
  d.temp[MCURR] = s16(m.lower, 0x0e);
  const shift = [0, 1, 2, 0][(p1[0xa0] & 0x18) >> 3];
  const p2 = m.page02;
  if (p2) {
    d.supportsAlarms = true;
    const slots = [HALRM, LALRM, HWARN, LWARN];
    slots.forEach((slot, i) => {
      d.voltage[slot] = u16(p2, 0x88 + 2 * i);
      d.temp[slot] = s16(p2, 0x80 + 2 * i);
      d.bias[slot] = u16(p2, 0xb8 + 2 * i) >> shift;
      d.txPower[slot] = u16(p2, 0xb0 + 2 * i);
      d.rxPower[slot] = u16(p2, 0xc0 + 2 * i);
    });
  }
  m.page11.forEach((p11, bank) => {
    if (!p11) return;
    for (let i = 0; i < 8; i++) {
      d.chan[bank * 8 + i] = { bias: u16(p11, 0xaa + 2 * i) >> shift, rx: u16(p11, 0xba + 2 * i), tx: u16(p11, 0x9a + 2 * i) };
    }
  });
  return d;
}

function showDom(s: Sink, m: CmisMap): void {
  if (!cmisPaged(m.lower) || !m.page01) return;
  const p1 = m.page01;
  const d = parseDom(m, p1);
  temp(s, 'Module temperature', d.temp[MCURR]);
  vcc(s, 'Module voltage', d.voltage[MCURR]);
  const banks = m.page11.map((p, bank) => [p, bank] as const).filter(([p]) => p !== null);
  if (p1[0xa0] & TX_BIAS_MON) {
    for (const [, bank] of banks) for (let i = 0; i < 8; i++) bias(s, `Laser tx bias current (Channel ${bank * 8 + i + 1})`, d.chan[bank * 8 + i].bias);
  }
  if (d.txPowerType) {
    for (const [, bank] of banks) for (let i = 0; i < 8; i++) power(s, `Transmit avg optical power (Channel ${bank * 8 + i + 1})`, d.chan[bank * 8 + i].tx);
  }
  if (p1[0xa0] & RX_PWR_MON) {
    const rxName = d.rxPowerType ? 'Rcvr signal avg optical power' : 'Receiver signal OMA';
    for (const [, bank] of banks) for (let i = 0; i < 8; i++) power(s, `${rxName} (Channel ${bank * 8 + i + 1})`, d.chan[bank * 8 + i].rx);
  }
  for (const [name, mask] of MOD_FLAGS) s.line(name, m.lower[0x09] & mask ? 'On' : 'Off');
  for (const [p11, bank] of banks) {
    for (let i = 0; i < 8; i++) {
      const chan = bank * 8 + i;
      for (const [fmt, at, adver] of CHAN_FLAGS) {
        if (!(p1[0xa0] & adver)) continue;
        // ethtool tests the flag byte against the channel index, not the channel's bit.
        s.line(fmt.replace('%d', String(chan + 1)), p11![at] & chan ? 'On' : 'Off');
      }
    }
  }
  if (d.supportsAlarms) showThresholds(s, d);
}

export function showCmis(s: Sink, m: CmisMap): void {
  showIdentifier(s, m.lower, 0);
  showPowerInfo(s, m);
  showConnector(s, m.page00, 0xcb);
  showCableAssemblyLength(s, m);
  showSignalIntegrity(s, m);
  showMediaTech(s, m);
  showLinkLengths(s, m);
  showVendor(s, m);
  const rev = m.lower[0x01];
  s.line('Revision compliance', `Rev. ${(rev >> 4) & 0x0f}.${rev & 0x0f}`);
  showModuleState(s, m);
  showDom(s, m);
}

/** The memory map of an ioctl blob: lower memory and page 00h, page 01h after them when paged. */
export function cmisMapFromBlob(id: Uint8Array): CmisMap {
  return { lower: id, page00: id, page01: cmisPaged(id) ? id.subarray(128) : null, page02: null, page11: [null, null, null, null] };
}

