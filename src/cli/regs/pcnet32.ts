/**
 * AMD PCnet32 register dump (driver pcnet32): 16-bit words — 8 of address PROM, CSR0..CSR91 as
 * the driver reads them (the last two standing for CSR112 and CSR114), BCR0..BCR35, then 32
 * words per MII PHY. A word table first, then the registers worth decoding.
 *
 * The dump version is not consulted. A dump shorter than the APROM/CSR/BCR block, or a call
 * without the driver's version string (which the text shows), gets no pretty text.
 */
import type { RegsPrinter } from './index';

const APROM = 0, CSR = 8, BCR = 100, MII = 136;

type Bits = ReadonlyArray<readonly [number, string]>;

/** A decoded register: where its word sits, its label and description, and its flag names. */
interface Reg {
  word: number;
  reg: string;
  desc: string;
  bits?: Bits;
  /** Extra line(s) derived from the whole dump. */
  extra?: (w: (i: number) => number) => string[];
}

/** Flags, listed from the highest bit down. */
const flags = (...names: Array<[number, string]>): Bits => names;

/** CSR88/89 part number → chip name. */
const CHIPS: Record<number, string> = {
  0x2420: 'PCnet/PCI 79C970', 0x2621: 'PCnet/PCI II 79C970A', 0x2623: 'PCnet/FAST 79C971',
  0x2624: 'PCnet/FAST+ 79C972', 0x2625: 'PCnet/FAST III 79C973', 0x2626: 'PCnet/Home 79C978',
  0x2627: 'PCnet/FAST III 79C975', 0x2628: 'PCnet/PRO 79C976',
};

const CSR_REGS: Reg[] = [
  {
    word: 0, reg: 'CSR0', desc: 'Status and Control',
    bits: flags([15, 'ERR'], [14, 'BABL'], [13, 'CERR'], [12, 'MISS'], [11, 'MERR'], [10, 'RINT'], [9, 'TINT'],
      [8, 'IDON'], [7, 'INTR'], [6, 'INT'], [5, 'RXON'], [4, 'TXON'], [3, 'TDMD'], [2, 'STOP'], [1, 'STRT'], [0, 'INIT']),
  },
  {
    word: 3, reg: 'CSR3', desc: 'Interrupt Mask',
    bits: flags([14, 'BABLM'], [12, 'MISSM'], [11, 'MERRM'], [10, 'RINTM'], [9, 'TINTM'], [8, 'IDONM'],
      [6, 'DXSUFLO'], [5, 'LAPPEN'], [4, 'DXMT2PD'], [3, 'EMBA'], [2, 'BSWP']),
  },
  {
    word: 4, reg: 'CSR4', desc: 'Test and Features',
    bits: flags([15, 'EN124'], [14, 'DMAPLUS'], [12, 'TXDPOLL'], [11, 'APAD_XMT'], [10, 'ASTRP_RCV'], [9, 'MFCO'],
      [8, 'MFCON'], [7, 'UINTCMD'], [6, 'UINT'], [5, 'RCVCCO'], [4, 'RCVCCOM'], [3, 'TXSTRT'], [2, 'TXSTRTM'],
      [1, 'JAB'], [0, 'JABM']),
  },
  {
    word: 5, reg: 'CSR5', desc: 'Ext Control and Int 1',
    bits: flags([15, 'TOKINTD'], [14, 'LTINTEN'], [11, 'SINT'], [10, 'SINTE'], [9, 'SLPINT'], [8, 'SLPINTE'],
      [7, 'EXDINT'], [6, 'EXDINTE'], [5, 'MPPLBA'], [4, 'MPINT'], [3, 'MPINTE'], [2, 'MPEN'], [1, 'MPMODE'], [0, 'SPND']),
  },
  {
    word: 7, reg: 'CSR7', desc: 'Ext Control and Int 2',
    bits: flags([15, 'FASTSPNDE'], [14, 'RXFRTG'], [13, 'RDMD'], [12, 'RXDPOLL'], [11, 'STINT'], [10, 'STINTE'],
      [9, 'MREINT'], [8, 'MREINTE'], [7, 'MAPINT'], [6, 'MAPINTE'], [5, 'MCCINT'], [4, 'MCCINTE'], [3, 'MCCIINT'],
      [2, 'MCCIINTE'], [1, 'MIIPDTINT'], [0, 'MIIPDTINTE']),
  },
  { word: 15, reg: 'CSR15', desc: 'Mode' },
  { word: 40, reg: 'CSR40', desc: 'Current RX Byte Count' },
  { word: 41, reg: 'CSR41', desc: 'Current RX Status' },
  { word: 42, reg: 'CSR42', desc: 'Current TX Byte Count' },
  { word: 43, reg: 'CSR43', desc: 'Current TX Status' },
  {
    word: 88, reg: 'CSR88', desc: 'Chip ID Lower',
    extra: (w) => {
      const part = ((((w(89) << 16) | w(88)) >>> 12) & 0xffff);
      return CHIPS[part] ? [`  ${CHIPS[part]}`] : [];
    },
  },
  {
    word: 89, reg: 'CSR89', desc: 'Chip ID Upper',
    extra: (w) => [`  VER: ${hex4(w(89) >>> 12)}  PARTIDU: ${hex4(w(89) & 0xfff)}`],
  },
  { word: 90, reg: 'CSR112', desc: 'Missed Frame Count' },
  { word: 91, reg: 'CSR114', desc: 'RX Collision Count' },
];

const BCR_REGS: Reg[] = [
  {
    word: 2, reg: 'BCR2', desc: 'Misc. Configuration',
    bits: flags([14, 'TMAULOOP'], [12, 'LEDPE'], [8, 'APROMWE'], [7, 'INTLEVEL'], [3, 'EADISEL'], [2, 'AWAKE'],
      [1, 'ASEL'], [0, 'XMAUSEL']),
  },
  { word: 9, reg: 'BCR9', desc: 'Full-Duplex Control' },
  { word: 18, reg: 'BCR18', desc: 'Burst and Bus Control' },
  { word: 19, reg: 'BCR19', desc: 'EEPROM Control and Status', bits: flags([15, 'PVALID'], [13, 'EEDET']) },
  { word: 23, reg: 'BCR23', desc: 'PCI Subsystem Vendor ID' },
  { word: 24, reg: 'BCR24', desc: 'PCI Subsystem ID' },
  { word: 31, reg: 'BCR31', desc: 'Software Timer' },
  { word: 32, reg: 'BCR32', desc: 'MII Control and Status' },
  { word: 35, reg: 'BCR35', desc: 'PCI Vendor ID' },
];

const hex4 = (v: number): string => v.toString(16).padStart(4, '0');

/**
 * Words [from, to) eight to a row, each row labelled with `prefix` and the index of its first word
 * (`wrap` folds the index, as for the per-PHY MII blocks). The block always ends with a newline of
 * its own unless its word count is 7 modulo 8 — so a block of whole rows leaves an empty line.
 */
function block(w: (i: number) => number, from: number, to: number, prefix: string, wrap = Infinity): string {
  let s = '';
  const n = Math.max(0, to - from);
  for (let k = 0; k < n; k++) {
    if (k % 8 === 0) s += `${prefix}${String(k % wrap).padStart(2, '0')}:  `;
    s += ` ${hex4(w(from + k))} `;
    if (k % 8 === 7) s += '\n';
  }
  if (n % 8 !== 7) s += '\n';
  return s;
}

function decode(w: (i: number) => number, base: number, regs: Reg[]): string {
  let s = '';
  for (const r of regs) {
    const v = w(base + r.word);
    s += `${r.reg}:`.padEnd(8) + r.desc.padEnd(27) + `0x${hex4(v)}\n`;
    if (r.bits) s += `  ${r.bits.filter(([b]) => v & (1 << b)).map(([, name]) => `${name} `).join('')}\n`;
    if (r.extra) for (const line of r.extra((i) => w(base + i))) s += `${line}\n`;
  }
  return s;
}

export const print: RegsPrinter = ({ driver, data, drvVersion }) => {
  if (drvVersion === undefined || data.length < MII * 2) return null;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const w = (i: number): number => dv.getUint16(i * 2, true);
  const words = Math.floor(data.length / 2);

  let s = `Driver:  ${driver}\nVersion: ${drvVersion}\n`;
  s += 'APROM:  ';
  for (let i = APROM; i < CSR; i++) s += ` ${hex4(w(i))} `;
  s += '\n';
  s += block(w, CSR, BCR, 'CSR');
  s += block(w, BCR, MII, 'BCR');
  s += block(w, MII, words, 'MII', 32);
  s += '\n';
  s += decode(w, CSR, CSR_REGS);
  s += '\n';
  s += decode(w, BCR, BCR_REGS);
  return s;
};
