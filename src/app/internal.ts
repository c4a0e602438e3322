/**
 * The one line an unexpected internal failure of a command becomes (never a stack trace): the
 * binary prints it and exits, a --batch line prints it and the batch goes on.
 */

/** Exit status for an unexpected internal failure. */
export const INTERNAL_ERROR_EXIT = 1;

/** Did the command line ask for JSON (--json among ethtool's global flags before the command)? */
export function jsonRequested(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') return true;
    if (a === '--debug') i++;
    else if (a !== '-I' && a !== '--include-statistics') return false;
  }
  return false;
}

/** The line for stderr (with its newline) telling of `e`, in JSON when `argv` asked for JSON. */
export function internalErrorLine(argv: readonly string[], e: unknown): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] || 'unknown error';
  return (jsonRequested(argv)
    ? JSON.stringify({ error: `internal error: ${msg}`, exit: INTERNAL_ERROR_EXIT })
    : `ethkit: internal error: ${msg}`) + '\n';
}
