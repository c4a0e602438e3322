/**
 * ethkit's command line in a long-lived process, for the rig's guest: node's start-up costs
 * seconds under TCG, hundreds of times per driver. Each request line (JSON: {"argv": [...]}) is
 * run with the program's own run() — what bin/ethkit runs, with its output captured — and
 * answered with one JSON line {"out", "err" (base64), "code"}. A failure that would be an
 * internal error of the binary is answered as the binary answers it.
 *
 *     node dist/test/rig/ethkit-server.js REQUEST_FIFO REPLY_FIFO
 *
 * The environment decides the path, as for the binary: under LD_PRELOAD=nonetlink.so every
 * command takes the ioctl.
 */
import { createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { run } from '../../src/app/run';

async function main(): Promise<void> {
  const [reqPath, replyPath] = process.argv.slice(2);
  // In the client's order (request, then reply): each open waits for the other end.
  const req = openSync(reqPath, 'r');
  const reply = openSync(replyPath, 'w');
  const lines = createInterface({ input: createReadStream('', { fd: req }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const { argv, stdin } = JSON.parse(line) as { argv: string[]; stdin?: string };
    const out: Buffer[] = [], err: Buffer[] = [];
    // As the client's spawned tools have them: node's 'pipe' stdio is a socketpair, open read-write.
    const sink = (into: Buffer[]) => ({ readable: true, write: (c: string | Uint8Array) => { into.push(Buffer.from(c)); } });
    let code: number;
    try {
      code = await run(argv, { stdout: sink(out), stderr: sink(err), stdinBytes: stdin === undefined ? undefined : Buffer.from(stdin, 'base64') });
    } catch (e) {
      err.push(Buffer.from(`ethkit: internal error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`));
      code = 1;
    }
    writeSync(reply, JSON.stringify({ out: Buffer.concat(out).toString('base64'), err: Buffer.concat(err).toString('base64'), code }) + '\n');
  }
}

main().then(() => process.exit(0), e => {
  process.stderr.write(`ethkit-server: ${(e as Error).message}\n`);
  process.exit(1);
});
