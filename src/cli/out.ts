/**
 * Output of one ethkit run. Text mode reproduces stdio's buffering, so a combined
 * `>f 2>&1` stream is ordered exactly as ethtool's: stderr is written at once, stdout is
 * held in 4096-byte blocks (line by line on a terminal) and flushed at exit.
 *
 * JSON mode: stdout gets one document (an array with one object per device) at the end;
 * every diagnostic becomes one line of JSON on stderr — {"warning": "..."} for the
 * non-fatal ones and {"error": "...", "exit": N} for the one that decided a non-zero exit.
 */
import { ERRNO, strerror } from '../ethtool/errno';
import type { Sink } from '../common/io';
import { JsonValue, writeJson } from './json';

const BLOCK = 4096;

export class Out {
  private held: Buffer[] = [];
  private heldLen = 0;
  /** JSON mode: diagnostics in order; the document. */
  private notes: string[] = [];
  private doc: JsonValue[] = [];
  private errorNote: string | null = null;
  private detached = false;
  /** Something went to stderr through stdio itself (which fixes its orientation; see perror). */
  private stderrOriented = false;
  /** The document is written even when empty and the command failed (ethtool's own JSON commands). */
  private always = false;

  constructor(
    private readonly stdout: Sink,
    private readonly stderr: Sink,
    readonly json: boolean,
    private readonly lineBuffered = false,
  ) {}

  /** Text for stdout (ignored in JSON mode: commands emit objects instead). */
  print(s: string | Uint8Array): void {
    if (this.json) return;
    const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s.buffer, s.byteOffset, s.byteLength);
    this.held.push(b);
    this.heldLen += b.length;
    if (this.lineBuffered) {
      if (b.includes(10)) this.flushStdout();
    } else if (this.heldLen >= BLOCK) {
      const all = Buffer.concat(this.held);
      const n = all.length - (all.length % BLOCK);
      this.stdout.write(all.subarray(0, n));
      this.held = n < all.length ? [all.subarray(n)] : [];
      this.heldLen = all.length - n;
    }
  }

  /** A diagnostic for stderr: written at once in text mode, collected in JSON mode. */
  err(s: string): void {
    this.stderrOriented = true;
    if (this.json) this.notes.push(s.trim().replace(/\s*\n\s*/g, ' '));
    else this.stderr.write(s);
  }

  /**
   * The message that decides a failing exit: `text` (default: `message` and a newline) on
   * stderr in text mode; in JSON mode `message` becomes the {"error": ...} line.
   */
  error(message: string, text?: string): void {
    this.stderrOriented = true;
    if (this.json) this.errorNote = message;
    else this.stderr.write(text ?? message + '\n');
  }

  /**
   * perror(3): "what: strerror(errno)". Returns the errno perror leaves behind, which ethtool
   * prints when it calls perror twice: glibc's perror, while nothing has been written to stderr
   * yet, first tries fdopen(dup(2), "w+"), which fails with EINVAL on a write-only stderr (a
   * pipe) and then writes to stderr itself; on a read-write one (a terminal) errno is kept.
   */
  perror(what: string, errno: number): number {
    const viaFdopen = !this.stderrOriented && this.stderr.readable === true;
    const after = this.stderrOriented || viaFdopen ? errno : ERRNO.EINVAL;
    const oriented = this.stderrOriented || !viaFdopen;
    this.err(`${what}: ${strerror(errno)}\n`);
    this.stderrOriented = oriented;
    return after;
  }

  /**
   * JSON mode only: the message explaining a failing exit that prints nothing in text mode
   * (otherwise the last diagnostic is used).
   */
  fail(message: string): void {
    if (this.json) this.errorNote = message.replace(/\n+$/, '');
  }

  /** JSON mode: add one device object to the document. */
  object(o: JsonValue): void {
    if (this.json) this.doc.push(o);
  }

  /**
   * JSON mode: the command prints ethtool's own document — there (possibly empty) whatever the
   * outcome, its strings escaped as ethtool escapes them.
   */
  alwaysDocument(): void {
    this.always = true;
  }

  /** The command goes on another path: what the first one set up for its document is dropped. */
  resetDocument(): void {
    this.always = false;
    this.doc = [];
  }

  flushStdout(): void {
    if (this.heldLen > 0) {
      this.stdout.write(this.held.length === 1 ? this.held[0] : Buffer.concat(this.held));
      this.held = [];
      this.heldLen = 0;
    }
  }

  /** Another front end owns the output from here on (--top, --profile*). */
  detach(): void {
    this.flushStdout();
    this.detached = true;
  }

  /** End of run: write what is held. Returns `code` for convenience. */
  finish(code: number): number {
    if (this.detached) return code;
    if (this.json) {
      let notes = this.notes;
      let error = this.errorNote;
      if (code !== 0 && error === null && notes.length > 0) {
        error = notes[notes.length - 1];
        notes = notes.slice(0, -1);
      }
      for (const n of notes) this.stderr.write(writeJson({ warning: n }, false) + '\n');
      if (code !== 0) this.stderr.write(writeJson({ error: error ?? `exit status ${code}`, exit: code }, false) + '\n');
      if (this.doc.length > 0 || code === 0 || this.always) this.stdout.write(writeJson(this.doc, true, this.always) + '\n');
      this.notes = [];
      this.doc = [];
      return code;
    }
    this.flushStdout();
    return code;
  }
}
