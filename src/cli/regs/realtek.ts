/**
 * RealTek 8139 / 8139C+ / 8169-family register dump (drivers 8139too, 8139cp, r8169).
 *
 * The chip is identified from the hardware-revision bits of TxConfig (offset 0x40); the dump
 * version is not consulted. An unidentified chip, or a dump shorter than the 256-byte register
 * window, gets no pretty text (the caller falls back to the hex dump).
 */
import type { RegsPrinter } from './index';

/** Chip names; a chip's number is its index + 1 (0 means "not identified"). */
const CHIPS = [
  '8139', '8139-K', '8139A', '8139A-G', '8139B', '8130', '8139C', '8100', '8100B/8139D', '8139C+', '8101',
  // 8169 family, MAC versions 01..44
  '8169', '8169s', '8110s', '8169sb/8110sb', '8169sc/8110sc', '8169sc/8110sc', '8102e', '8102e', '8102e',
  '8101e', '8168b/8111b', '8168b/8111b', '8101e', '8100e', '8100e', '8101e', '8168b/8111b', '8168cp/8111cp',
  '8168c/8111c', '8168c/8111c', '8168c/8111c', '8168c/8111c', '8168cp/8111cp', '8168cp/8111cp',
  '8168d/8111d', '8168d/8111d', '8168dp/8111dp', '8168dp/8111dp', '8105e', '8105e', '8168dp/8111dp',
  '8168e/8111e', '8168e/8111e', '8168evl/8111evl', '8168f/8111f', '8168f/8111f', '8402', '8411', '8106e',
  '8168g/8111g', '8168g/8111g', '8168g/8111g', '8106e', '8411',
];

const RTL8139 = 1, RTL8139_K = 2, RTL8139A = 3, RTL8139B = 5, RTL8130 = 6, RTL8100 = 8, RTL8100B = 9;
const RTL8139CP = 10, RTL8101 = 11;
/** 8169-family MAC version n. */
const G = (n: number): number => 11 + n;

/** [mask, value, chip] over TxConfig, first match wins. */
const IDENT: ReadonlyArray<readonly [number, number, number]> = [
  [0xfcc00000, 0x40000000, RTL8139], [0xfcc00000, 0x60000000, RTL8139_K], [0xfcc00000, 0x70000000, RTL8139A],
  [0xfcc00000, 0x70800000, 4], [0xfcc00000, 0x78000000, RTL8139B], [0xfcc00000, 0x7c000000, RTL8130],
  [0xfcc00000, 0x74000000, 7], [0xfcc00000, 0x78800000, RTL8100], [0xfcc00000, 0x74400000, RTL8100B],
  [0xfcc00000, 0x74800000, RTL8139CP], [0xfcc00000, 0x74c00000, RTL8101],
  // 8168G
  [0x7cf00000, 0x5c800000, G(44)], [0x7cf00000, 0x50900000, G(42)], [0x7cf00000, 0x4c100000, G(41)],
  [0x7cf00000, 0x4c000000, G(40)],
  // 8168F
  [0x7c800000, 0x48800000, G(38)], [0x7cf00000, 0x48100000, G(36)], [0x7cf00000, 0x48000000, G(35)],
  // 8168E
  [0x7c800000, 0x2c800000, G(34)], [0x7cf00000, 0x2c200000, G(33)], [0x7cf00000, 0x2c100000, G(32)],
  [0x7c800000, 0x2c000000, G(33)],
  // 8168D
  [0x7cf00000, 0x28300000, G(26)], [0x7cf00000, 0x28100000, G(25)], [0x7c800000, 0x28000000, G(26)],
  // 8168DP
  [0x7cf00000, 0x28800000, G(27)], [0x7cf00000, 0x28a00000, G(28)], [0x7cf00000, 0x28b00000, G(31)],
  // 8168C
  [0x7cf00000, 0x3cb00000, G(24)], [0x7cf00000, 0x3c900000, G(23)], [0x7cf00000, 0x3c800000, G(18)],
  [0x7c800000, 0x3c800000, G(24)], [0x7cf00000, 0x3c000000, G(19)], [0x7cf00000, 0x3c200000, G(20)],
  [0x7cf00000, 0x3c300000, G(21)], [0x7cf00000, 0x3c400000, G(22)], [0x7c800000, 0x3c000000, G(22)],
  // 8168B
  [0x7cf00000, 0x38000000, G(12)], [0x7cf00000, 0x38500000, G(17)], [0x7c800000, 0x38000000, G(17)],
  [0x7c800000, 0x30000000, G(11)],
  // 8101
  [0x7cf00000, 0x44900000, G(39)], [0x7c800000, 0x44800000, G(39)], [0x7c800000, 0x44000000, G(37)],
  [0x7cf00000, 0x40b00000, G(30)], [0x7cf00000, 0x40a00000, G(30)], [0x7cf00000, 0x40900000, G(29)],
  [0x7c800000, 0x40800000, G(30)], [0x7cf00000, 0x34a00000, G(9)], [0x7cf00000, 0x24a00000, G(9)],
  [0x7cf00000, 0x34900000, G(8)], [0x7cf00000, 0x24900000, G(8)], [0x7cf00000, 0x34800000, G(7)],
  [0x7cf00000, 0x24800000, G(7)], [0x7cf00000, 0x34000000, G(13)], [0x7cf00000, 0x34300000, G(10)],
  [0x7cf00000, 0x34200000, G(16)], [0x7c800000, 0x34800000, G(9)], [0x7c800000, 0x24800000, G(9)],
  [0x7c800000, 0x34000000, G(16)], [0xfc800000, 0x38800000, G(15)], [0xfc800000, 0x30800000, G(14)],
  // 8110
  [0xfc800000, 0x98000000, G(6)], [0xfc800000, 0x18000000, G(5)], [0xfc800000, 0x10000000, G(4)],
  [0xfc800000, 0x04000000, G(3)], [0xfc800000, 0x00800000, G(2)], [0xfc800000, 0x00000000, G(1)],
];

/** Value formats: byte, 16-bit, 32-bit, two 32-bit words, 24-bit, decimal 16-bit, MAC address. */
type Fmt = 'b' | 'w' | 'l' | 'll' | 'l24' | 'dec' | 'mac';

interface Row {
  off: number;
  name: string;
  fmt: Fmt;
  /** Printed only for chips this accepts. */
  when?: (chip: number) => boolean;
  /** Detail lines printed after the register's own line, decoded from its value. */
  detail?: (v: number) => string[];
}

const isGiga = (c: number): boolean => c >= G(1);
/** 8168B/8101E-era parts (MAC 11..17) lack the TBI block, the Rx buffer / flash window and Func regs. */
const isGigaB = (c: number): boolean => c >= G(11) && c <= G(17);
const cpOrGiga = (c: number): boolean => c === RTL8139CP || isGiga(c);
const classic = (c: number): boolean => !isGiga(c);
const classicFrom = (min: number) => (c: number): boolean => !isGiga(c) && c >= min;

const bits = (v: number, names: ReadonlyArray<readonly [number, string]>): string =>
  names.filter(([b]) => v & (1 << b)).map(([, n]) => `${n} `).join('');

const INTR_BITS: ReadonlyArray<readonly [number, string]> = [
  [15, 'SERR'], [14, 'TimeOut'], [8, 'SWInt'], [7, 'TxNoBuf'], [6, 'RxFIFO'], [5, 'LinkChg'],
  [4, 'RxNoBuf'], [3, 'TxErr'], [2, 'TxOK'], [1, 'RxErr'], [0, 'RxOK'],
];
const intrDetail = (v: number): string[] => [`      ${bits(v, INTR_BITS)}`];

const CPLUS_BITS: ReadonlyArray<readonly [number, string]> = [
  [9, 'Big-endian mode'], [8, 'Home LAN enable'], [6, 'VLAN de-tagging'], [5, 'RX checksumming'],
  [4, 'PCI 64-bit DAC'], [3, 'PCI Multiple RW'],
];

const range = (n: number, f: (i: number) => Row): Row[] => Array.from({ length: n }, (_, i) => f(i));

const ROWS: Row[] = [
  { off: 0x00, name: 'MAC Address', fmt: 'mac' },
  { off: 0x08, name: 'Multicast Address Filter', fmt: 'll' },
  { off: 0x10, name: 'Dump Tally Counter Command', fmt: 'll', when: cpOrGiga },
  { off: 0x20, name: 'Tx Normal Priority Ring Addr', fmt: 'll', when: cpOrGiga },
  { off: 0x28, name: 'Tx High Priority Ring Addr', fmt: 'll', when: cpOrGiga },
  ...range(4, (i) => ({ off: 0x10 + 4 * i, name: `Transmit Status Desc ${i}`, fmt: 'l' as Fmt, when: (c: number) => !cpOrGiga(c) })),
  ...range(4, (i) => ({ off: 0x20 + 4 * i, name: `Transmit Start Addr  ${i}`, fmt: 'l' as Fmt, when: (c: number) => !cpOrGiga(c) })),
  { off: 0x30, name: 'Flash memory read/write', fmt: 'l', when: (c) => isGiga(c) && !isGigaB(c) },
  { off: 0x30, name: 'Rx buffer addr (C mode)', fmt: 'l', when: classic },
  { off: 0x34, name: 'Early Rx Byte Count', fmt: 'dec' },
  {
    off: 0x36, name: 'Early Rx Status', fmt: 'b',
    detail: (v) => (v & 0xf ? [`      ${bits(v, [[3, 'ERxGood'], [2, 'ERxBad'], [1, 'ERxOverWrite'], [0, 'ERxOK']])}`] : []),
  },
  {
    off: 0x37, name: 'Command', fmt: 'b',
    detail: (v) => [`      Rx ${v & 8 ? 'on' : 'off'}, Tx ${v & 4 ? 'on' : 'off'}${v & 16 ? ', RESET' : ''}`],
  },
  { off: 0x38, name: 'Current Address of Packet Read (C mode)', fmt: 'w', when: classic },
  { off: 0x3a, name: 'Current Rx buffer address (C mode)', fmt: 'w', when: classic },
  { off: 0x3c, name: 'Interrupt Mask', fmt: 'w', detail: intrDetail },
  { off: 0x3e, name: 'Interrupt Status', fmt: 'w', detail: intrDetail },
  { off: 0x40, name: 'Tx Configuration', fmt: 'l' },
  { off: 0x44, name: 'Rx Configuration', fmt: 'l' },
  { off: 0x48, name: 'Timer count', fmt: 'l' },
  { off: 0x4c, name: 'Missed packet counter', fmt: 'l24' },
  { off: 0x50, name: 'EEPROM Command', fmt: 'b' },
  { off: 0x51, name: 'Config 0', fmt: 'b' },
  { off: 0x52, name: 'Config 1', fmt: 'b' },
  // 8169 family
  ...range(4, (i) => ({ off: 0x53 + i, name: `Config ${i + 2}`, fmt: 'b' as Fmt, when: isGiga })),
  { off: 0x58, name: 'Timer interrupt', fmt: 'l', when: isGiga },
  // 8139 family
  { off: 0x54, name: 'Timer interrupt', fmt: 'l', when: classicFrom(RTL8139A) },
  { off: 0x58, name: 'Media status', fmt: 'b', when: classic },
  { off: 0x59, name: 'Config 3', fmt: 'b', when: classicFrom(RTL8139A) },
  { off: 0x5a, name: 'Config 4', fmt: 'b', when: classicFrom(RTL8139B) },
  { off: 0x5c, name: 'Multiple Interrupt Select', fmt: 'w' },
  // 8169 family
  { off: 0x60, name: 'PHY access', fmt: 'l', when: isGiga },
  { off: 0x64, name: 'TBI control and status', fmt: 'l', when: (c) => isGiga(c) && !isGigaB(c) },
  { off: 0x68, name: 'TBI Autonegotiation advertisement (ANAR)', fmt: 'w', when: (c) => isGiga(c) && !isGigaB(c) },
  { off: 0x6a, name: 'TBI Link partner ability (LPAR)', fmt: 'w', when: (c) => isGiga(c) && !isGigaB(c) },
  { off: 0x6c, name: 'PHY status', fmt: 'b', when: isGiga },
  { off: 0x84, name: 'PM wakeup frame 0', fmt: 'll', when: isGiga },
  { off: 0x8c, name: 'PM wakeup frame 1', fmt: 'll', when: isGiga },
  ...[2, 3, 4].flatMap((n): Row[] => [
    { off: 0x94 + 0x10 * (n - 2), name: `PM wakeup frame ${n} (low)`, fmt: 'll', when: isGiga },
    { off: 0x9c + 0x10 * (n - 2), name: `PM wakeup frame ${n} (high)`, fmt: 'll', when: isGiga },
  ]),
  ...range(5, (i) => ({ off: 0xc4 + 2 * i, name: `Wakeup frame ${i} CRC`, fmt: 'w' as Fmt, when: isGiga })),
  { off: 0xda, name: 'RX packet maximum size', fmt: 'w', when: isGiga },
  // 8139 family
  { off: 0x5e, name: 'PCI revision id', fmt: 'b', when: classic },
  ...([
    [0x60, 'Transmit Status of All Desc (C mode)'], [0x62, 'MII Basic Mode Control Register'],
    [0x64, 'MII Basic Mode Status Register'], [0x66, 'MII Autonegotiation Advertising'],
    [0x68, 'MII Link Partner Ability'], [0x6a, 'MII Expansion'], [0x6c, 'MII Disconnect counter'],
    [0x6e, 'MII False carrier sense counter'], [0x70, 'MII Nway test'], [0x72, 'MII RX_ER counter'],
    [0x74, 'MII CS configuration'],
  ] as const).map(([off, name]): Row => ({ off, name, fmt: 'w', when: classic })),
  { off: 0x78, name: 'PHY parameter 1', fmt: 'l', when: classicFrom(RTL8139_K) },
  { off: 0x7c, name: 'Twister parameter', fmt: 'l', when: classicFrom(RTL8139_K) },
  { off: 0x80, name: 'PHY parameter 2', fmt: 'b', when: classicFrom(RTL8139A) },
  { off: 0x82, name: 'Low addr of a Tx Desc w/ Tx DMA OK', fmt: 'w', when: (c) => c === RTL8139CP },
  { off: 0x82, name: 'MII register', fmt: 'b', when: (c) => c === RTL8130 },
  ...range(8, (i) => ({ off: 0x84 + i, name: `PM CRC for wakeup frame ${i}`, fmt: 'b' as Fmt, when: classicFrom(RTL8139A) })),
  ...range(8, (i) => ({ off: 0x8c + 8 * i, name: `PM wakeup frame ${i}`, fmt: 'll' as Fmt, when: classicFrom(RTL8139A) })),
  ...range(8, (i) => ({ off: 0xcc + i, name: `PM LSB CRC for wakeup frame ${i}`, fmt: 'b' as Fmt, when: classicFrom(RTL8139A) })),
  {
    off: 0xd4, name: 'Flash memory read/write', fmt: 'l',
    when: (c) => classicFrom(RTL8139B)(c) && c !== RTL8100 && c !== RTL8100B && c !== RTL8101,
  },
  { off: 0xd8, name: 'Config 5', fmt: 'b', when: (c) => classicFrom(RTL8139B)(c) && c !== RTL8130 },
  // C+ mode registers (8139C+ and the 8169 family)
  {
    off: 0xe0, name: 'C+ Command', fmt: 'w', when: cpOrGiga,
    detail: (v) => CPLUS_BITS.filter(([b]) => v & (1 << b)).map(([, n]) => `      ${n}`),
  },
  {
    off: 0xe2, name: 'Interrupt Mitigation', fmt: 'w', when: cpOrGiga,
    detail: (v) => [
      `      TxTimer:       ${v >>> 12}`, `      TxPackets:     ${(v >>> 8) & 0xf}`,
      `      RxTimer:       ${(v >>> 4) & 0xf}`, `      RxPackets:     ${v & 0xf}`,
    ],
  },
  { off: 0xe4, name: 'Rx Ring Addr', fmt: 'll', when: cpOrGiga },
  { off: 0xec, name: 'Early Tx threshold', fmt: 'b', when: cpOrGiga },
  { off: 0xfc, name: 'External MII register', fmt: 'l', when: (c) => c === RTL8139CP },
  ...([[0xf0, 'Func Event'], [0xf4, 'Func Event Mask'], [0xf8, 'Func Preset State'], [0xfc, 'Func Force Event']] as const)
    .map(([off, name]): Row => ({ off, name, fmt: 'l', when: (c) => isGiga(c) && !isGigaB(c) })),
];

/** The register window every one of these drivers dumps. */
const WINDOW = 256;
/** Label + value column width of every register line. */
const WIDTH = 56;

const hex = (v: number, digits: number): string => `0x${v.toString(16).padStart(digits, '0')}`;

export const print: RegsPrinter = ({ data }) => {
  if (data.length < WINDOW) return null;
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const txConfig = dv.getUint32(0x40, true);
  const hit = IDENT.find(([mask, val]) => ((txConfig & mask) >>> 0) === val);
  if (!hit) return null;
  const chip = hit[2];

  const out = [`RealTek RTL${CHIPS[chip - 1]} registers:`, '-'.repeat(WIDTH)];
  for (const row of ROWS) {
    if (row.when && !row.when(chip)) continue;
    const { off } = row;
    let v = 0;
    let text: string;
    switch (row.fmt) {
      case 'b': v = dv.getUint8(off); text = hex(v, 2); break;
      case 'w': v = dv.getUint16(off, true); text = hex(v, 4); break;
      case 'l': v = dv.getUint32(off, true); text = hex(v, 8); break;
      case 'l24': v = dv.getUint32(off, true) & 0xffffff; text = hex(v, 6); break;
      case 'll': text = `${hex(dv.getUint32(off, true), 8)} ${hex(dv.getUint32(off + 4, true), 8)}`; break;
      case 'dec': v = dv.getUint16(off, true); text = String(v).padStart(8); break;
      case 'mac': text = Array.from(data.subarray(off, off + 6), (b) => b.toString(16).padStart(2, '0')).join(':'); break;
    }
    const label = `0x${off.toString(16).toUpperCase().padStart(2, '0')}: ${row.name}`;
    out.push(label + text.padStart(WIDTH - label.length));
    if (row.detail) out.push(...row.detail(v));
  }
  return out.join('\n') + '\n';
};
