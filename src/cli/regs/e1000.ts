/**
 * e1000 / e1000e register dump. ethtool_regs.version holds the dump format in its top byte
 * (only format 1 is understood) and the PCI device id in its low 16 bits; the device id picks
 * the MAC generation, which decides which lines are shown. The dump is little-endian 32-bit
 * words: CTRL, STATUS, RCTL, RDLEN, RDH, RDT, RDTR, TCTL, TDLEN, TDH, TDT, TIDV, the PHY type,
 * then (for an M88 PHY) its specific status register in word 13 and control register in word 17.
 */
import type { RegsPrinter } from './index';

/** MAC generations, oldest first: only the boundaries that change the output matter. */
const enum Gen { G82542 = 0, Pci = 1, Pcie = 2 }

/** Device ids of the 82571 and later parts (PCI Express) that the printer knows by name. */
const PCIE_IDS = new Set([
  0x105e, 0x105f, 0x1060, 0x10a4, 0x10a5, 0x10bc, // 82571EB
  0x107d, 0x107e, 0x107f, 0x10b9, // 82572EI
  0x108b, 0x108c, 0x109a, // 82573
  0x1096, 0x1098, 0x10ba, 0x10bb, // 80003ES2LAN
  0x1049, 0x104a, 0x104b, 0x104c, 0x10c4, 0x10c5, 0x104d, // ICH8
]);
const DEV_82542 = 0x1000;

/** Any other id (82543 through 82547, and ids newer than the table) is shown as an 82543-class part. */
function generation(deviceId: number): Gen {
  if (deviceId === DEV_82542) return Gen.G82542;
  return PCIE_IDS.has(deviceId) ? Gen.Pcie : Gen.Pci;
}

/** Labels are padded so that values start in column 42. */
const COL = 41;
const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
const head = (label: string, v: number): string => `${label.padEnd(COL)}${hex8(v)}\n`;
const line = (name: string, value: string): string => `${`      ${name}:`.padEnd(COL)}${value}\n`;

/** on/off wording of a single bit: [text when clear, text when set] */
type Words = readonly [string, string];
const EN: Words = ['disabled', 'enabled'];
const DIS: Words = ['enabled', 'disabled'];
const YES: Words = ['no', 'yes'];

/** One decoded line of a register: shown when `from` <= generation (and `to` >= it, if given). */
interface Field {
  name: string;
  value: (reg: number) => string;
  from?: Gen;
  to?: Gen;
}
const bit = (name: string, mask: number, words: Words, from?: Gen): Field =>
  ({ name, value: (r) => words[(r & mask) !== 0 ? 1 : 0], from });
/** A multi-bit field: (reg & mask) looked up in `names`, `other` for the rest. */
const choice = (name: string, mask: number, names: Record<number, string>, other: string, from?: Gen, to?: Gen): Field =>
  ({ name, value: (r) => names[(r & mask) >>> 0] ?? other, from, to });

const SPEED_NAMES = { 0x000: '10Mb/s', 0x100: '100Mb/s', 0x200: '1000Mb/s' };
const LINK_SPEED_NAMES = { 0x00: '10Mb/s', 0x40: '100Mb/s', 0x80: '1000Mb/s' };

const CTRL: Field[] = [
  bit('Endian mode (buffers)', 0x2, ['little', 'big']),
  bit('Link reset', 0x8, ['normal', 'reset']),
  bit('Set link up', 0x40, ['0', '1']),
  bit('Invert Loss-Of-Signal', 0x80, YES),
  bit('Receive flow control', 0x0800_0000, EN),
  bit('Transmit flow control', 0x1000_0000, EN),
  bit('VLAN mode', 0x4000_0000, EN),
  bit('Auto speed detect', 0x20, EN, Gen.Pci),
  choice('Speed select', 0x300, SPEED_NAMES, 'not used', Gen.Pci),
  bit('Force speed', 0x800, YES, Gen.Pci),
  bit('Force duplex', 0x1000, YES, Gen.Pci),
];

/** Bus clock of a conventional PCI or PCI-X part. */
function busSpeed(r: number): string {
  if (r & 0x2000) return r & 0x8000 ? '133MHz' : r & 0x4000 ? '100MHz' : '66MHz';
  return r & 0x800 ? '66MHz' : '33MHz';
}

const STATUS: Field[] = [
  bit('Duplex', 0x1, ['half', 'full']),
  bit('Link up', 0x2, ['no link config', 'link config']),
  bit('TBI mode', 0x20, EN, Gen.Pci),
  choice('Link speed', 0xc0, LINK_SPEED_NAMES, 'not used', Gen.Pci),
  { name: 'Bus type', value: () => 'PCI Express', from: Gen.Pcie },
  bit('Port number', 0xc, ['0', '1'], Gen.Pcie),
  { name: 'Bus type', value: (r) => (r & 0x2000 ? 'PCI-X' : 'PCI'), from: Gen.Pci, to: Gen.Pci },
  { name: 'Bus speed', value: busSpeed, from: Gen.Pci, to: Gen.Pci },
  { ...bit('Bus width', 0x1000, ['32-bit', '64-bit']), from: Gen.Pci, to: Gen.Pci },
];

/** Receive buffer size: the BSEX bit (82543 and later) multiplies the size code by 16. */
function rxBufSize(gen: Gen): (r: number) => string {
  return (r) => {
    const code = (r >>> 16) & 3;
    if (gen >= Gen.Pci && r & 0x0200_0000) return ['reserved', '16384', '8192', '4096'][code];
    return ['2048', '1024', '512', '256'][code];
  };
}

const RCTL = (gen: Gen): Field[] => [
  bit('Receiver', 0x2, EN),
  bit('Store bad packets', 0x4, EN),
  bit('Unicast promiscuous', 0x8, EN),
  bit('Multicast promiscuous', 0x10, EN),
  bit('Long packet', 0x20, EN),
  choice('Descriptor minimum threshold size', 0x300, { 0x000: '1/2', 0x100: '1/4', 0x200: '1/8' }, 'reserved'),
  bit('Broadcast accept mode', 0x8000, ['ignore', 'accept']),
  bit('VLAN filter', 0x4_0000, EN),
  bit('Canonical form indicator', 0x8_0000, EN),
  bit('Discard pause frames', 0x40_0000, ['filtered', 'ignored']),
  bit('Pass MAC control frames', 0x80_0000, ["don't pass", 'pass']),
  { name: 'Receive buffer size', value: rxBufSize(gen) },
];

const TCTL: Field[] = [
  bit('Transmitter', 0x2, EN),
  bit('Pad short packets', 0x8, EN),
  bit('Software XOFF Transmission', 0x40_0000, EN),
  bit('Re-transmit on late collision', 0x100_0000, EN, Gen.Pci),
];

const M88_STATUS: Field[] = [
  bit('Jabber', 0x1, YES),
  bit('Polarity', 0x2, ['normal', 'reverse']),
  bit('Downshifted', 0x20, YES),
  bit('MDI/MDIX', 0x40, ['MDI', 'MDIX']),
  { name: 'Cable Length Estimate', value: (r) => `${['0-50', '50-80', '80-110', '110-140', '140+'][(r >>> 7) & 7] ?? 'unknown'} meters` },
  bit('Link State', 0x400, ['Down', 'Up']),
  bit('Speed & Duplex Resolved', 0x800, ['No', 'Yes']),
  bit('Page Received', 0x1000, ['No', 'Yes']),
  bit('Duplex', 0x2000, ['Half', 'Full']),
  { name: 'Speed', value: (r) => `${['10', '100', '1000', 'unknown'][(r >>> 14) & 3]} mbps` },
];

const M88_CONTROL: Field[] = [
  bit('Jabber function', 0x1, DIS),
  bit('Auto-polarity', 0x2, EN),
  bit('SQE Test', 0x4, EN),
  bit('CLK125', 0x10, DIS),
  choice('Auto-MDIX', 0x60, { 0x00: 'force MDI', 0x20: 'force MDIX', 0x40: '1000 auto, 10/100 MDI', 0x60: 'auto' }, 'wtf'),
  bit('Extended 10Base-T Distance', 0x80, EN),
  bit('100Base-TX Interface', 0x100, ['MII', '5-bit']),
  bit('Scrambler', 0x200, DIS),
  bit('Force Link Good', 0x400, ['disabled', 'forced']),
  bit('Assert CRS on Transmit', 0x800, EN),
];

/** One dumped register: its word index in the dump, its heading and the decoded lines below it. */
interface Reg { word: number; label: string; fields?: Field[] }

const MAC_REGS = (gen: Gen): Reg[] => [
  { word: 0, label: '0x00000: CTRL (Device control register)', fields: CTRL },
  { word: 1, label: '0x00008: STATUS (Device status register)', fields: STATUS },
  { word: 2, label: '0x00100: RCTL (Receive control register)', fields: RCTL(gen) },
  { word: 3, label: '0x02808: RDLEN (Receive desc length)' },
  { word: 4, label: '0x02810: RDH   (Receive desc head)' },
  { word: 5, label: '0x02818: RDT   (Receive desc tail)' },
  { word: 6, label: '0x02820: RDTR  (Receive delay timer)' },
  { word: 7, label: '0x00400: TCTL (Transmit ctrl register)', fields: TCTL },
  { word: 8, label: '0x03808: TDLEN (Transmit desc length)' },
  { word: 9, label: '0x03810: TDH   (Transmit desc head)' },
  { word: 10, label: '0x03818: TDT   (Transmit desc tail)' },
  { word: 11, label: '0x03820: TIDV  (Transmit delay timer)' },
];

const PHY_TYPE_WORD = 12;
const PHY_TYPES = ['M88', 'IGP', 'IGP2'];
const M88_REGS: Reg[] = [
  { word: 13, label: 'M88 PHY STATUS REGISTER:', fields: M88_STATUS },
  { word: 17, label: 'M88 PHY CONTROL REGISTER:', fields: M88_CONTROL },
];

function render(regs: Reg[], words: (i: number) => number, gen: Gen): string {
  let out = '';
  for (const { word, label, fields } of regs) {
    const v = words(word);
    out += head(label, v);
    for (const f of fields ?? []) {
      if (f.from !== undefined && gen < f.from) continue;
      if (f.to !== undefined && gen > f.to) continue;
      out += line(f.name, f.value(v));
    }
  }
  return out;
}

export const print: RegsPrinter = (dump) => {
  if (((dump.version >>> 24) & 0xff) !== 1) return null;
  const { data } = dump;
  // the words the output reads must be in the dump
  if (data.length < (PHY_TYPE_WORD + 1) * 4) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const words = (i: number): number => view.getUint32(i * 4, true);
  const phyType = words(PHY_TYPE_WORD);
  if (phyType === 0 && data.length < (M88_REGS[M88_REGS.length - 1].word + 1) * 4) return null;

  const gen = generation(dump.version & 0xffff);
  let out = 'MAC Registers\n-------------\n';
  out += render(MAC_REGS(gen), words, gen);
  out += `${'PHY type:'.padEnd(COL)}${PHY_TYPES[phyType] ?? 'unknown'}\n`;
  if (phyType === 0) out += render(M88_REGS, words, gen);
  return out;
};
