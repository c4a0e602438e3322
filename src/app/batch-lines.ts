/**
 * The command lines of a --batch input, read as `ip -batch` reads them: one command per line,
 * words split at blanks, a word that starts with ' or " running to the same quote (which may
 * hold blanks, or be empty), `#` at the start of a word commenting out the rest of the line, a
 * backslash at the end of a line joining the next one, blank and comment-only lines skipped.
 * Unlike ip, a `#` inside a word is part of it (interface names may hold one), and text right
 * after a closing quote is an error rather than a word of its own.
 *
 * The input is streamed: memory stays bounded by the longest line, which may be MAX_LINE bytes.
 */

/** The longest command (after joining continued lines), in bytes. */
export const MAX_LINE = 65536;

/** One command of the input, or why its line cannot be run; `line` is its first line's number (from 1). */
export type BatchItem =
  | { line: number; argv: string[] }
  | { line: number; error: string };

const BLANK = new Set([' ', '\t', '\r', '\n', '\v', '\f']);

/** The words of one command line, or the reason it has none that can be run. An empty array: nothing to run. */
export function splitWords(text: string): string[] | { error: string } {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && BLANK.has(text[i])) i++;
    if (i >= n || text[i] === '#') break;
    const q = text[i];
    if (q === '"' || q === "'") {
      const end = text.indexOf(q, i + 1);
      if (end < 0) return { error: `unterminated quoted string (${q} at column ${i + 1})` };
      words.push(text.slice(i + 1, end));
      i = end + 1;
      if (i < n && !BLANK.has(text[i])) return { error: `text right after the closing quote at column ${end + 1}` };
    } else {
      let j = i;
      while (j < n && !BLANK.has(text[j])) j++;
      words.push(text.slice(i, j));
      i = j;
    }
  }
  const nul = words.findIndex(w => w.includes('\0'));
  if (nul >= 0) return { error: `word ${nul + 1} holds a NUL byte` };
  return words;
}

/**
 * The commands of a byte stream, in order, one item per command line that has words (and one
 * per line that cannot be read as one: too long, a quote left open). Never throws for what the
 * input holds; a failing stream's error is passed on.
 */
export async function* batchCommands(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, maxBytes = MAX_LINE): AsyncGenerator<BatchItem> {
  let parts: Buffer[] = [];
  let len = 0;
  let tooLong = false;
  /** Physical lines read; the first line of the command being read. */
  let lineNo = 0;
  let first = 1;
  /** parts[] of the physical line being read start here. */
  let physStart = 0;

  const take = (seg: Buffer): void => {
    if (tooLong) return;
    if (len + seg.length > maxBytes) {
      tooLong = true;
      parts = [];
      len = 0;
      physStart = 0;
      return;
    }
    if (seg.length > 0) {
      parts.push(seg);
      len += seg.length;
    }
  };
  /** The command read so far, ended: its item, or null when it has no words. */
  const end = (): BatchItem | null => {
    const line = first;
    const wasTooLong = tooLong;
    const text = wasTooLong ? '' : Buffer.concat(parts, len).toString('utf8');
    parts = [];
    len = 0;
    tooLong = false;
    first = lineNo + 1;
    physStart = 0;
    if (wasTooLong) return { line, error: `line longer than ${maxBytes} bytes` };
    const words = splitWords(text);
    if (!Array.isArray(words)) return { line, error: words.error };
    return words.length > 0 ? { line, argv: words } : null;
  };
  /** Does the command go on after this physical line (a backslash before its end, before any \r)? */
  const continued = (): boolean => {
    if (tooLong || parts.length === physStart) return false;
    let last = parts[parts.length - 1];
    let k = last.length - 1;
    if (last[k] === 0x0d) k--;
    if (k < 0 || last[k] !== 0x5c) return false;
    // Drop the backslash (and a \r after it): the next line joins this one.
    last = last.subarray(0, k);
    len -= parts[parts.length - 1].length - last.length;
    parts[parts.length - 1] = last;
    return true;
  };

  for await (const chunk of chunks) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    while (pos < b.length) {
      const nl = b.indexOf(10, pos);
      if (nl < 0) {
        take(Buffer.from(b.subarray(pos)));
        break;
      }
      take(Buffer.from(b.subarray(pos, nl)));
      pos = nl + 1;
      lineNo++;
      if (continued()) {
        physStart = parts.length;
        continue;
      }
      const item = end();
      if (item) yield item;
    }
  }
  if (len > 0 || tooLong) {
    lineNo++;
    continued();
    const item = end();
    if (item) yield item;
  }
}
