/**
 * ethkit's own addition: --json on every command. ethtool's ioctl path rejects --json, so
 * these runs are not byte-compared; instead, for every show command on every kind of device:
 *   - ethkit --json CMD DEV exits with the status ethtool gives for CMD DEV (text mode);
 *   - stdout is one parseable JSON document (required when the exit status is 0);
 *   - every stderr line is a parseable JSON object;
 *   - on success, values ethtool prints (driver name, permanent address, first counter name,
 *     …) appear in the document.
 * eth0: read-only commands on the host; the rest in the suite's namespaces (ethtool in A,
 * ethkit in B, identical fresh devices).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runTool, show } from './diff/harness';
import { Lab } from './diff/lab';
import { FailureRow, classify, writeSection } from './diff/runner';

const SHOW_COMMANDS: readonly string[][] = [
  [], ['-i'], ['-a'], ['-c'], ['-g'], ['-l'], ['-k'], ['-S'], ['--phy-statistics'], ['-P'], ['-d'], ['-e'], ['-x'], ['-n'],
];
const DEVICES = ['eth0', 'va', 'tp0', 'tn0', 'nosuch0'];

/** Text ethtool prints that must show up among the document's keys or values. */
function anchors(cmd: string, text: string): string[] {
  const pick = (re: RegExp): string[] => {
    const m = re.exec(text);
    return m ? [m[1]] : [];
  };
  switch (cmd) {
    case '-i': return [...pick(/^driver: (.+)$/m), ...pick(/^bus-info: (.+)$/m)];
    case '-P': return pick(/^Permanent address: (\S+)$/m);
    case '-S': return pick(/^ {5}([^:]+): \d+$/m);
    case '-k': return pick(/^(highdma|tx-nocache-copy|rx-gro-list): /m);
    case '-x': return [...pick(/^ {4}(\w+): on$/m), ...pick(/with (\d+) RX ring/)];
    default: return [];
  }
}

/** Every key and every scalar value of a JSON document, as strings. */
function words(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(v)) for (const x of v) words(x, out);
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.add(k);
      words(x, out);
    }
  } else out.add(String(v));
  return out;
}

let lab: Lab | null = null;
let ran = 0;
const failures: FailureRow[] = [];
after(() => {
  lab?.destroy();
  writeSection('diff-json', DEVICES.length * SHOW_COMMANDS.length, ran, [
    `Per device: ${DEVICES.map(d => `${classify(d)} ${SHOW_COMMANDS.length}`).join(', ')} (commands: ${SHOW_COMMANDS.map(c => c[0] ?? 'settings').join(' ')}).`,
  ], failures);
});

for (const dev of DEVICES) {
  for (const cmd of SHOW_COMMANDS) {
    const argv = [...cmd, dev];
    test(`--json ${show(argv)}`, () => {
      let refNs: string | null = null;
      let gotNs: string | null = null;
      if (dev !== 'eth0') {
        lab ??= new Lab('dj');
        lab.fresh();
        refNs = lab.a;
        gotNs = lab.b;
      }
      ran++;
      const ref = runTool('ethtool', argv, refNs);
      const got = runTool('ethkit', ['--json', ...argv], gotNs);
      const problems: string[] = [];
      const stdout = got.stdout.toString('utf8');
      const stderr = got.stderr.toString('utf8');
      if (got.status !== ref.status) problems.push(`exit status ${got.status}; ethtool ${show(argv)} exits ${ref.status}`);
      let doc: unknown;
      if (stdout.trim() !== '') {
        try { doc = JSON.parse(stdout); } catch (e) { problems.push(`stdout is not JSON (${(e as Error).message}): ${JSON.stringify(stdout.slice(0, 200))}`); }
      } else if (got.status === 0) {
        problems.push('exit status 0 but nothing on stdout');
      }
      for (const line of stderr.split('\n').filter(l => l !== '')) {
        try {
          const o: unknown = JSON.parse(line);
          if (o === null || typeof o !== 'object' || Array.isArray(o)) problems.push(`stderr line is JSON but not an object: ${line}`);
        } catch {
          problems.push(`stderr line is not JSON: ${JSON.stringify(line)}`);
        }
      }
      if (got.status === 0 && doc !== undefined && ref.status === 0) {
        const have = words(doc);
        for (const a of anchors(cmd[0] ?? '', ref.stdout.toString('utf8'))) {
          if (!have.has(a)) problems.push(`ethtool prints ${JSON.stringify(a)}, which is nowhere in the JSON document`);
        }
      }
      if (problems.length) failures.push({ family: '--json', device: classify(dev), argv: ['--json', ...argv], first: problems[0] });
      if (problems.length) assert.fail(`ethkit --json ${show(argv)}:\n  ${problems.join('\n  ')}`);
    });
  }
}
