/**
 * Output of the netlink commands, in the model ethtool's netlink code prints with: every value
 * goes out as text (the command's own line format) or, with --json, as a field of the current
 * JSON object — the same call decides both. Objects opened at the top are the device objects of
 * the document; nested ones are fields of the object around them.
 */
import type { Out } from '../out';
import { JsonRaw, JsonValue } from '../json';

type Obj = { [key: string]: JsonValue };

export class Printer {
  private readonly stack: (Obj | JsonValue[])[] = [];

  constructor(readonly out: Out) {}

  get json(): boolean { return this.out.json; }

  /** Text only (ethtool's PRINT_FP). */
  text(s: string): void {
    if (!this.json) this.out.print(s);
  }

  /** A field: `text` in text mode, `key: value` in JSON mode (PRINT_ANY). A null key adds to an array. */
  field(key: string | null, text: string, value: JsonValue): void {
    if (!this.json) { this.out.print(text); return; }
    this.put(key, value);
  }

  /** JSON only (PRINT_JSON). */
  jsonField(key: string | null, value: JsonValue): void {
    if (this.json) this.put(key, value);
  }

  /**
   * Bytes printed as they are in either mode (ethtool's putchar/printf beside its JSON writer):
   * in JSON mode they land between the document's values.
   */
  raw(s: string): void {
    if (!this.json) { this.out.print(s); return; }
    const r = new JsonRaw(s, 'between');
    if (this.stack.length === 0) this.out.object(r);
    else this.put(null, r);
  }

  /** A float field: `text` in text mode, the value as C's "%g" prints it in JSON mode (print_float). */
  float(key: string | null, text: string, value: number): void {
    this.field(key, text, new JsonRaw(formatG(value)));
  }

  /** A line break in text mode (print_nl). */
  nl(): void { this.text('\n'); }

  openObject(key: string | null): void {
    if (!this.json) return;
    const o: Obj = {};
    if (this.stack.length) this.put(key, o);
    this.stack.push(o);
  }

  closeObject(): void {
    if (!this.json) return;
    const o = this.stack.pop();
    if (this.stack.length === 0 && o && !Array.isArray(o)) this.out.object(o);
  }

  /** An array field in JSON mode; `text` (a delimiter) in text mode. */
  openArray(key: string | null, text: string): void {
    if (!this.json) { this.out.print(text); return; }
    const a: JsonValue[] = [];
    this.put(key, a);
    this.stack.push(a);
  }

  closeArray(text: string): void {
    if (!this.json) { this.out.print(text); return; }
    this.stack.pop();
  }

  private put(key: string | null, value: JsonValue): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    if (Array.isArray(top)) top.push(value);
    else if (key !== null) top[key] = value;
  }
}

/** show_u32: the value, or n/a when the kernel did not send the attribute. */
export function u32Line(label: string, v: unknown): string {
  return `${label}${typeof v === 'number' ? v >>> 0 : 'n/a'}\n`;
}

/** A u8 boolean as ethtool names it: on, off, or n/a when absent. */
export function onOffNa(v: unknown): string {
  return typeof v === 'number' ? (v ? 'on' : 'off') : 'n/a';
}

/** C's printf "%g": six significant digits, exponent form below 1e-4 and from 1e6, no trailing zeros. */
export function formatG(x: number, precision = 6): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const p = Math.max(1, precision);
  const [m, e] = x.toExponential(p - 1).split('e');
  const exp = Number(e);
  const strip = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (exp < -4 || exp >= p) return `${strip(m)}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return strip(x.toFixed(p - 1 - exp));
}

/** C's printf "%.Nf" of a float value (printf rounds the value's exact binary expansion). */
export function fixed(x: number, digits: number): string {
  return x.toFixed(digits);
}
