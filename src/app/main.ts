/**
 * Process entry of the ethkit binary: runs the command line, sets the exit status, and turns
 * anything unexpected into one line on stderr (never a stack trace).
 */
import { run } from './run';

/** Exit status for an unexpected internal failure. */
export const INTERNAL_ERROR_EXIT = 1;

function jsonRequested(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') return true;
    if (a === '--debug') i++;
    else if (a !== '-I' && a !== '--include-statistics') return false;
  }
  return false;
}

let failed = false;
function fatal(e: unknown): void {
  if (failed) return;
  failed = true;
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] || 'unknown error';
  const line = jsonRequested(process.argv.slice(2))
    ? JSON.stringify({ error: `internal error: ${msg}`, exit: INTERNAL_ERROR_EXIT })
    : `ethkit: internal error: ${msg}`;
  try {
    require('node:fs').writeSync(2, line + '\n');
  } catch { /* stderr is gone: nothing left to tell */ }
  process.exit(INTERNAL_ERROR_EXIT);
}

process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

run(process.argv.slice(2)).then(code => { process.exitCode = code; }, fatal);
