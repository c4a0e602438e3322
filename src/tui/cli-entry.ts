/** Stand-alone entry: `node dist/src/tui/cli-entry.js [top args]` ≡ `ethkit --top [top args]`. */
import { main } from './index';

main(process.argv.slice(2)).then(code => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`ethkit: --top: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 70;
});
