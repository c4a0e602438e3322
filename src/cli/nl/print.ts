/**
 * Output of the netlink commands, in the model ethtool's netlink code prints with: every value
 * goes out as text (the command's own line format) or, with --json, as a field of the current
 * JSON object — the same call decides both. Objects opened at the top are the device objects of
 * the document; nested ones are fields of the object around them.
 */
import type { Out } from '../out';
import type { JsonValue } from '../json';

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
