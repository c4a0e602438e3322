/**
 * JSON text in the layout ethtool's own --json output uses (4-space indent, "[ {" … "} ]",
 * scalar arrays on one line), so documents from ethkit and from ethtool's netlink JSON
 * commands compare byte for byte. u64 counters are bigint and are written as exact digits.
 */
export type JsonValue =
  | string | number | bigint | boolean | null
  | JsonRaw
  | JsonValue[]
  | { [key: string]: JsonValue | undefined };

/**
 * Text written into the document as it is: a value already formatted (`value`: ethtool's "%g"
 * floats), or bytes between the values of an array that are no value at all (ethtool prints a
 * newline into `-k '*'`'s document).
 */
export class JsonRaw {
  constructor(readonly text: string, readonly kind: 'value' | 'between' = 'value') {}
}

const ESC: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\b': '\\b', '\\': '\\\\', '"': '\\"' };

/**
 * ethtool's own string escaping (its json_writer): the usual escapes plus "\'" (not JSON, but
 * what ethtool writes), every other byte as it is. Used for the documents ethtool itself prints.
 */
export function ethtoolQuote(s: string): string {
  return '"' + s.replace(/[\t\n\r\f\b\\"']/g, c => (c === "'" ? "\\'" : ESC[c])) + '"';
}

export function quote(s: string): string {
  // eslint-disable-next-line no-control-regex
  return '"' + s.replace(/[\u0000-\u001f"\\]/g, c => ESC[c] ?? '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '"';
}

function scalar(v: JsonValue, q: (s: string) => string = quote): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return q(v);
    case 'bigint': return v.toString();
    case 'number': return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean': return v ? 'true' : 'false';
    default: return 'null';
  }
}

/**
 * One-line JSON (diagnostics on stderr) or ethtool's pretty layout (documents on stdout);
 * `ethtoolStrings`: strings escaped as ethtool's own writer does (its own documents).
 */
export function writeJson(v: JsonValue, pretty: boolean, ethtoolStrings = false): string {
  if (!pretty) return compact(v);
  const w = new PrettyWriter(ethtoolStrings ? ethtoolQuote : quote);
  w.value(v);
  return w.text;
}

function compact(v: JsonValue): string {
  if (v instanceof JsonRaw) return v.kind === 'value' ? v.text : '';
  if (Array.isArray(v)) return '[' + v.filter(x => !(x instanceof JsonRaw && x.kind === 'between')).map(compact).join(',') + ']';
  if (v !== null && typeof v === 'object') {
    return '{' + Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => quote(k) + ':' + compact(x as JsonValue)).join(',') + '}';
  }
  return scalar(v);
}

class PrettyWriter {
  text = '';
  private depth = 0;
  private sep = '';

  constructor(private readonly q: (s: string) => string) {}

  private eol(): void { this.text += '\n' + '    '.repeat(this.depth); }
  private eor(): void { if (this.sep) this.text += this.sep; this.sep = ','; }
  private begin(c: string): void { this.eor(); this.text += c; this.depth++; this.sep = ''; }
  private end(c: string): void {
    this.depth--;
    if (this.sep) this.eol();
    this.text += c;
    this.sep = ',';
  }

  value(v: JsonValue): void {
    if (v instanceof JsonRaw) {
      if (v.kind === 'value') this.eor();
      this.text += v.text;
    } else if (Array.isArray(v)) {
      this.begin('[');
      this.text += ' ';
      for (const x of v) this.value(x);
      if (this.sep) this.text += ' ';
      this.sep = '';
      this.end(']');
    } else if (v !== null && typeof v === 'object') {
      this.begin('{');
      for (const [k, x] of Object.entries(v)) {
        if (x === undefined) continue;
        this.eor();
        this.eol();
        this.sep = '';
        this.text += this.q(k) + ': ';
        this.value(x);
      }
      this.end('}');
    } else {
      this.eor();
      this.text += scalar(v, this.q);
    }
  }
}
