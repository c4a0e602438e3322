/**
 * Process entry of the ethkit binary: runs the command line, sets the exit status, and turns
 * anything unexpected into one line on stderr (never a stack trace).
 */
import { run } from './run';

let failed = false;
function fatal(e: unknown): void {
  if (failed) return;
  failed = true;
  // Loaded only on the way out: start-up stays as small as it is.
  const { INTERNAL_ERROR_EXIT, internalErrorLine } = require('./internal') as typeof import('./internal');
  try {
    require('node:fs').writeSync(2, internalErrorLine(process.argv.slice(2), e));
  } catch { /* stderr is gone: nothing left to tell */ }
  process.exit(INTERNAL_ERROR_EXIT);
}

process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

run(process.argv.slice(2)).then(code => { process.exitCode = code; }, fatal);
