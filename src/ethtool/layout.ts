/**
 * Declarative C struct layouts. A struct is declared once as a list of [field, C type];
 * offsets and size follow the C ABI rules for x86_64/aarch64 (natural alignment), and the
 * native probe (native/layout.c) checks every one of them against <linux/ethtool.h>.
 */
export type Scalar = 'u8' | 's8' | 'u16' | 'u32' | 's32' | 'u64';

export interface Field {
  readonly name: string;
  /** The C declaration's type, as written: u32, char[32], u8[6], u32[7], u64[] … */
  readonly ctype: string;
  readonly scalar: Scalar | 'char';
  /** Element count for arrays; 0 for a flexible array member; 1 for a plain scalar. */
  readonly count: number;
  readonly flexible: boolean;
  readonly offset: number;
  readonly size: number;
}

export interface StructLayout {
  /** The kernel's name, e.g. ethtool_ringparam. */
  readonly cname: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly Field[];
  readonly byName: Readonly<Record<string, Field>>;
  /** The flexible array member, if any (always last). */
  readonly flex: Field | null;
}

const SIZES: Record<Scalar | 'char', number> = { u8: 1, s8: 1, char: 1, u16: 2, u32: 4, s32: 4, u64: 8 };

export function defineStruct(cname: string, decl: ReadonlyArray<readonly [string, string]>): StructLayout {
  let offset = 0;
  let align = 1;
  const fields: Field[] = [];
  decl.forEach(([name, ctype], i) => {
    const m = /^(u8|s8|u16|u32|s32|u64|char)(?:\[(\d*)\])?$/.exec(ctype);
    if (!m) throw new Error(`${cname}.${name}: unknown C type ${ctype}`);
    const scalar = m[1] as Scalar | 'char';
    const flexible = m[2] === '';
    if (flexible && i !== decl.length - 1) throw new Error(`${cname}.${name}: flexible array must be last`);
    const count = m[2] === undefined ? 1 : flexible ? 0 : Number(m[2]);
    const esize = SIZES[scalar];
    offset = roundUp(offset, esize);
    align = Math.max(align, esize);
    fields.push({ name, ctype, scalar, count, flexible, offset, size: esize * count });
    offset += esize * count;
  });
  const byName: Record<string, Field> = {};
  for (const f of fields) byName[f.name] = f;
  const last = fields[fields.length - 1];
  return {
    cname,
    size: roundUp(offset, align),
    align,
    fields,
    byName,
    flex: last && last.flexible ? last : null,
  };
}

function roundUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export type FieldValue = number | bigint | string | number[];
export type Decoded = Record<string, FieldValue>;

function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

function readScalar(dv: DataView, off: number, s: Scalar | 'char'): number | bigint {
  switch (s) {
    case 'u8': case 'char': return dv.getUint8(off);
    case 's8': return dv.getInt8(off);
    case 'u16': return dv.getUint16(off, true);
    case 'u32': return dv.getUint32(off, true);
    case 's32': return dv.getInt32(off, true);
    case 'u64': return dv.getBigUint64(off, true);
  }
}

function writeScalar(dv: DataView, off: number, s: Scalar | 'char', v: number | bigint): void {
  switch (s) {
    case 'u8': case 'char': dv.setUint8(off, Number(v)); return;
    case 's8': dv.setInt8(off, Number(v)); return;
    case 'u16': dv.setUint16(off, Number(v), true); return;
    case 'u32': dv.setUint32(off, Number(v), true); return;
    case 's32': dv.setInt32(off, Number(v), true); return;
    case 'u64': dv.setBigUint64(off, BigInt(v), true); return;
  }
}

/** Read a NUL-terminated C string of at most `len` bytes (UTF-8; ASCII, the usual case, fast). */
export function readCString(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  const stop = Math.min(off + len, buf.length);
  for (let i = off; i < stop; i++) {
    const c = buf[i];
    if (c === 0) return s;
    if (c >= 0x80) return readUtf8CString(buf, off, stop);
    s += String.fromCharCode(c);
  }
  return s;
}

function readUtf8CString(buf: Uint8Array, off: number, stop: number): string {
  let end = off;
  while (end < stop && buf[end] !== 0) end++;
  return Buffer.from(buf.buffer, buf.byteOffset + off, end - off).toString('utf8');
}

/** Decode every fixed field of `layout` from `buf` at `base`. char[] becomes a string. */
export function decode(layout: StructLayout, buf: Uint8Array, base = 0): Decoded {
  const dv = view(buf);
  const out: Decoded = {};
  for (const f of layout.fields) {
    if (f.flexible) continue;
    const off = base + f.offset;
    if (f.scalar === 'char') out[f.name] = readCString(buf, off, f.count);
    else if (f.ctype.includes('[')) {
      const arr: number[] = [];
      const es = SIZES[f.scalar];
      for (let i = 0; i < f.count; i++) arr.push(Number(readScalar(dv, off + i * es, f.scalar)));
      out[f.name] = arr;
    } else out[f.name] = readScalar(dv, off, f.scalar);
  }
  return out;
}

/** Write the given fields of `layout` into `buf` at `base`; fields not named are left as they are. */
export function encode(layout: StructLayout, values: Readonly<Record<string, FieldValue | undefined>>, buf: Uint8Array, base = 0): void {
  const dv = view(buf);
  for (const [name, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const f = layout.byName[name];
    if (!f || f.flexible) throw new Error(`${layout.cname} has no fixed field ${name}`);
    const off = base + f.offset;
    if (f.scalar === 'char') {
      buf.fill(0, off, off + f.count);
      Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).write(String(v), off, f.count - 1, 'utf8');
    } else if (Array.isArray(v)) {
      const es = SIZES[f.scalar];
      v.forEach((x, i) => { if (i < f.count) writeScalar(dv, off + i * es, f.scalar, x); });
    } else writeScalar(dv, off, f.scalar, v as number | bigint);
  }
}

/** Read one u32 field (the common case) without building an object. */
export function getU32(layout: StructLayout, buf: Uint8Array, name: string, base = 0): number {
  return view(buf).getUint32(base + layout.byName[name].offset, true);
}

export function setU32(layout: StructLayout, buf: Uint8Array, name: string, v: number, base = 0): void {
  view(buf).setUint32(base + layout.byName[name].offset, v, true);
}

/** A zeroed buffer for `layout` plus `flexBytes` of flexible-array room, with `cmd` set. */
export function request(layout: StructLayout, cmd: number, flexBytes = 0, alloc?: (n: number) => Uint8Array): Uint8Array {
  const n = layout.size + flexBytes;
  const buf = alloc ? alloc(n) : new Uint8Array(n);
  buf.fill(0);
  view(buf).setUint32(0, cmd, true);
  return buf;
}
