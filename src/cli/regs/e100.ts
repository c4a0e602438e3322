/**
 * e100 register dump (ethtool_regs.version: format 1 in the top byte, PCI revision in the low
 * byte). Word 0 holds the SCB status word (low half) and command word (high half); word 1, when
 * the dump has it, the PHY control register that tells MDI from MDI-X on 82551 and later parts.
 */
import type { RegsPrinter } from './index';

/** First PCI revision (82551, "D102") whose dump says MDI or MDI-X from the PHY. */
const REV_D102 = 12;
const MDIX_CONFIG_OK = 0x0010;
const MDIX_ACTIVE = 0x0020;

/** A state field: its mask, shift, label line prefix and the names of known values. */
interface Field {
  mask: number; shift: number; prefix: string; names: Record<number, string>; unknown: string;
  /** values whose name ethtool prints one column further left */
  narrow?: number[];
}

const RU_STATUS: Field = {
  mask: 0x003c, shift: 2, prefix: '      RU Status:               ', unknown: 'Unknown State',
  names: {
    0: 'Idle', 1: 'Suspended', 2: 'No Resources', 4: 'Ready', 9: 'Suspended with no more RBDs',
    10: 'No Resources due to no more RBDs', 12: 'Ready with no RBDs present',
  },
};
// ethtool prints "Active" one column to the left of the other CU states
const CU_STATUS: Field = {
  mask: 0x00c0, shift: 6, prefix: '      CU Status:               ', unknown: 'Unknown State',
  names: { 0: 'Idle', 1: 'Suspended', 2: 'Active' }, narrow: [2],
};
const RU_COMMAND: Field = {
  mask: 0x0007, shift: 0, prefix: '      RU Command:              ', unknown: 'Unknown',
  names: { 0: 'No Command', 1: 'RU Start', 2: 'RU Resume', 4: 'RU Abort', 6: 'Load RU Base' },
};
const CU_COMMAND: Field = {
  mask: 0x00f0, shift: 4, prefix: '      CU Command:              ', unknown: 'Unknown',
  names: {
    0: 'No Command', 1: 'CU Start', 2: 'CU Resume', 4: 'Load Dump Counters Address', 5: 'Dump Counters',
    6: 'Load CU Base', 7: 'Dump & Reset Counters',
  },
};

/** yes/no flag rows: bit and label (values start at column 41). */
type Flag = [number, string];

const PENDING: Flag[] = [
  [0x0100, 'Flow Control Pause'],
  [0x0200, 'Early Receive'],
  [0x0400, 'Software Generated Interrupt'],
  [0x0800, 'MDI Done'],
  [0x1000, 'RU Not In Ready State'],
  [0x2000, 'CU Not in Active State'],
  [0x4000, 'RU Received Frame'],
  [0x8000, 'CU Completed Command'],
];
const SOFT_INT: Flag[] = [[0x0200, 'Software Generated Interrupt']];
const MASKED: Flag[] = [
  [0x0100, 'ALL Interrupts'],
  [0x0400, 'Flow Control Pause'],
  [0x0800, 'Early Receive'],
  [0x1000, 'RU Not In Ready State'],
  [0x2000, 'CU Not in Active State'],
  [0x4000, 'RU Received Frame'],
  [0x8000, 'CU Completed Command'],
];

const WORD_COLUMN = 41;
const FLAG_COLUMN = 41;

function field(f: Field, v: number): string {
  const n = (v & f.mask) >>> f.shift;
  const prefix = f.narrow?.includes(n) ? f.prefix.slice(0, -1) : f.prefix;
  return prefix + (f.names[n] ?? f.unknown);
}

const flags = (list: Flag[], v: number): string[] =>
  list.map(([bit, label]) => `      ${label}:`.padEnd(FLAG_COLUMN) + (v & bit ? 'yes' : 'no'));

const word = (label: string, v: number): string =>
  label.padEnd(WORD_COLUMN) + '0x' + v.toString(16).toUpperCase().padStart(4, '0');

export const print: RegsPrinter = (dump) => {
  if (dump.version >>> 24 !== 1) return null;
  const { data } = dump;
  if (data.length < 4) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const w0 = view.getUint32(0, true);
  const status = w0 & 0xffff;
  const command = w0 >>> 16;
  const out: string[] = [
    word('SCB Status Word (Lower Word)', status),
    field(RU_STATUS, status),
    field(CU_STATUS, status),
    '      ---- Interrupts Pending ----',
    ...flags(PENDING, status),
    word('SCB Command Word (Upper Word)', command),
    field(RU_COMMAND, command),
    field(CU_COMMAND, command),
    ...flags(SOFT_INT, command),
    '      ---- Interrupts Masked ----',
    ...flags(MASKED, command),
  ];
  // ethtool keeps the dump's word count in one byte, so a dump of 256 words or more wraps
  const words = (data.length >>> 2) & 0xff;
  if (words > 1) {
    let mdi: string;
    if ((dump.version & 0xff) < REV_D102) mdi = 'MDI';
    else {
      const ctrl = view.getUint16(4, true);
      mdi = ctrl & MDIX_CONFIG_OK ? (ctrl & MDIX_ACTIVE ? 'MDI-X' : 'MDI') : 'Unknown';
    }
    out.push('MDI/MDI-X Status:'.padEnd(WORD_COLUMN) + mdi);
  }
  return out.join('\n') + '\n';
};
