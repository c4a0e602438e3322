/**
 * Checks the case tables against ethtool alone (no ethkit): prints every row whose exit status
 * or expected text does not match what ethtool 6.1 does on this machine, and the counts per
 * family and device. Run: node dist-NAME/test/diff/check-tables.js [--all]
 */
import { SUITES } from './cases';
import { expand, splitCmd, counts, caseName } from './runner';
import { runTool, isSetFamily } from './harness';
import { Lab } from './lab';

const all = process.argv.includes('--all');
const lab = new Lab('dc');
let bad = 0;
let total = 0;
try {
  for (const [suite, tables] of Object.entries(SUITES)) {
    const cases = expand(tables);
    total += cases.length;
    const { family, device } = counts(cases);
    console.log(`# ${suite}: ${cases.length} cases; families ${[...family].map(([k, v]) => `${k}=${v}`).join(' ')}; devices ${[...device].map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const c of cases) {
      if (c.device !== 'eth0') lab.fresh();
      const ns = c.device === 'eth0' ? null : lab.a;
      for (const s of c.opts.setup ?? []) runTool('ethtool', splitCmd(s), lab.a);
      const r = runTool('ethtool', c.argv, ns);
      if (ns && (isSetFamily(c.argv) || c.opts.setup)) lab.markDirty();
      const err = r.stderr.toString();
      const out = r.stdout.toString();
      const ok = r.status === c.exit && (c.opts.err === undefined || err.split('\n')[0].includes(c.opts.err)) &&
        (c.opts.out === undefined || out.includes(c.opts.out));
      if (!ok) bad++;
      if (!ok || all) console.log(`${ok ? 'ok ' : 'BAD'} ${caseName(c)} -> exit ${r.status} (table ${c.exit}) err=${JSON.stringify(err.slice(0, 200))}${all ? ' out=' + JSON.stringify(out.slice(0, 120)) : ''}`);
    }
  }
} finally {
  lab.destroy();
}
console.log(`${total} cases, ${bad} not matching ethtool`);
process.exitCode = bad ? 1 : 0;
