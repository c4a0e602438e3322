/**
 * vmxnet3 register dump (ethtool_regs.version 2): a stream of little-endian 32-bit words —
 * the control registers, then the interrupt masks, then per-queue transmit and receive state,
 * each list preceded by its count. Values are printed from column 52.
 */
import type { RegsPrinter } from './index';

/** How one row shows its value: `hex` 0x%x, `dec` %u, `addr` a 64-bit address (low word first), `mac` six bytes from two words. */
type Fmt = 'hex' | 'dec' | 'addr' | 'mac';
/** A row prints `label` padded to the value column; a bare string is a heading line. */
type Row = { label: string; fmt: Fmt } | string;

const COLUMN = 52;

const CONTROL: Row[] = [
  'Control Registers',
  '=================',
  { label: '    VRRS (Vmxnet3 Revision Report and Selection)', fmt: 'hex' },
  { label: '    UVRS (UPT Version Report and Selection)', fmt: 'hex' },
  { label: '    DSA  (Driver Shared Address)', fmt: 'addr' },
  { label: '    CMD  (Command Register)', fmt: 'hex' },
  { label: '    MAC  (Media Access Control address)', fmt: 'mac' },
  { label: '    ICR  (Interrupt Cause Register)', fmt: 'hex' },
  { label: '    ECR  (Event Cause Register)', fmt: 'hex' },
  'Datapath Registers',
  '==================',
];

const ring = (title: string, rows: [string, Fmt][]): Row[] => [
  `        ${title}`,
  ...rows.map(([label, fmt]) => ({ label: `            ${label}`, fmt })),
];

const TX_QUEUE: Row[] = [
  { label: '        TXPROD (Transmit Ring Producer Register)', fmt: 'hex' },
  ...ring('Transmit Ring', [['Base Address', 'addr'], ['Size', 'dec'], ['next2fill', 'dec'], ['next2comp', 'dec'], ['gen', 'dec']]),
  ...ring('Transmit Data Ring', [['Base Address', 'addr'], ['Size', 'dec'], ['Buffer Size', 'dec']]),
  ...ring('Transmit Completion Ring', [['Base Address', 'addr'], ['size', 'dec'], ['next2proc', 'dec'], ['gen', 'dec']]),
  { label: '        stopped', fmt: 'dec' },
];

const RX_QUEUE: Row[] = [
  { label: '        RXPROD1 (Receive Ring Producer Register) 1', fmt: 'hex' },
  { label: '        RXPROD2 (Receive Ring Producer Register) 2', fmt: 'hex' },
  ...ring('Receive Ring 0', [['Base Address', 'addr'], ['Size', 'dec'], ['next2fill', 'dec'], ['next2comp', 'dec'], ['gen', 'dec']]),
  ...ring('Receive Ring 1', [['Base Address', 'addr'], ['Size', 'dec'], ['next2fill', 'dec'], ['next2comp', 'dec'], ['gen', 'dec']]),
  ...ring('Receive Data Ring', [['Base Address', 'addr'], ['Size', 'dec'], ['Buffer Size', 'dec']]),
  ...ring('Receive Completion Ring', [['Base Address', 'addr'], ['size', 'dec'], ['next2proc', 'dec'], ['gen', 'dec']]),
];

class OutOfData extends Error {}

/** Sequential reader over the dump's 32-bit words. */
class Words {
  private pos = 0;
  private readonly view: DataView;
  constructor(data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  next(): number {
    if (this.pos + 4 > this.view.byteLength) throw new OutOfData();
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}

const hex8 = (v: number): string => v.toString(16).padStart(8, '0');
const hex2 = (v: number): string => (v & 0xff).toString(16).padStart(2, '0');

function value(fmt: Fmt, w: Words): string {
  switch (fmt) {
    case 'hex':
      return `0x${w.next().toString(16)}`;
    case 'dec':
      return String(w.next());
    case 'addr': {
      const lo = w.next();
      return `0x${hex8(w.next())}${hex8(lo)}`;
    }
    case 'mac': {
      const a = w.next();
      const b = w.next();
      return [a, a >>> 8, a >>> 16, a >>> 24, b, b >>> 8].map(hex2).join(':');
    }
  }
}

function emit(rows: Row[], w: Words, out: string[]): void {
  for (const row of rows) {
    if (typeof row === 'string') out.push(row);
    else out.push(row.label.padEnd(COLUMN) + value(row.fmt, w));
  }
}

export const print: RegsPrinter = (dump) => {
  if (dump.version !== 2) return null;
  const w = new Words(dump.data);
  const out: string[] = [];
  try {
    emit(CONTROL, w, out);
    // the counts are read as signed ints: one with the top bit set lists nothing
    const masks = w.next() | 0;
    for (let i = 0; i < masks; i++) {
      // the queue index is part of the label and pushes the value right when it has two digits
      out.push(`    IMR (Interrupt Mask Register) ${i}${' '.repeat(17)}0x${w.next().toString(16)}`);
    }
    const txq = w.next() | 0;
    for (let i = 0; i < txq; i++) {
      out.push(`    Transmit Queue ${i}`, '    ----------------');
      emit(TX_QUEUE, w, out);
    }
    const rxq = w.next() | 0;
    for (let i = 0; i < rxq; i++) {
      out.push(`    Receive Queue ${i}`, '    ----------------');
      emit(RX_QUEUE, w, out);
    }
  } catch (e) {
    // a dump shorter than its own counts say: nothing trustworthy to decode, show it as hex
    if (e instanceof OutOfData) return null;
    throw e;
  }
  return out.join('\n') + '\n';
};
