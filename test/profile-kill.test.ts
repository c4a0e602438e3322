/**
 * kill -9 at random points of --apply and --rollback, for real: ethkit runs on a veth pair in a
 * network namespace under strace, which delivers SIGKILL at the N-th call of one system call
 * (write, ioctl, openat, rename, unlink, fsync; N drawn with a seeded PRNG from the counts of a
 * clean run). After each kill the user's recovery follows — run the same --rollback again —
 * and the devices must be exactly as before the apply (ethtool -k/-l/-g of both devices, every
 * queue file, the sysctls) with nothing left in the state directory.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { World, prng } from './profile-world';
import { requireTool } from './helpers/netns';
import { EXIT } from '../src/profiles/cli';

const SYSCALLS = ['write', 'ioctl', 'openat', 'rename', 'unlink', 'fsync'];
const SEED = Number(process.env.ETHKIT_KILL_SEED ?? 20261202);
const KILLS = Number(process.env.ETHKIT_KILLS ?? 30);

let w: World;
before(() => {
  requireTool('strace', 'strace', ['-V']);
  requireTool('ethtool', 'ethtool', ['--version']);
  w = new World('kl');
});
after(() => w?.destroy());

/**
 * Calls of each system call in a clean run of `args`. A call the kernel restarts (a write to
 * ip_forward spins on ERESTARTNOINTR while the rtnl lock is taken elsewhere) is not counted, so
 * that every kill point drawn is reached in a run.
 */
function counts(args: string[]): Record<string, number> {
  const file = `${w.profileDir}/strace-count`;
  const r = w.ethkit(args, { wrap: ['strace', '-f', '-qq', '-o', file, '-e', `trace=${SYSCALLS.join(',')}`] });
  assert.equal(r.code, EXIT.OK, r.out + r.err);
  const out: Record<string, number> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\d+\s+(\w+)\(/.exec(line);
    if (m && SYSCALLS.includes(m[1]) && !line.includes('ERESTART')) out[m[1]] = (out[m[1]] ?? 0) + 1;
  }
  return out;
}

/** A kill point: the n-th call of one system call, weighted by how many there are. */
function pick(rand: () => number, c: Record<string, number>): { call: string; n: number } {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  let x = Math.floor(rand() * total);
  for (const [call, k] of Object.entries(c)) {
    if (x < k) return { call, n: x + 1 };
    x -= k;
  }
  throw new Error('unreachable');
}

/** Run `args` with SIGKILL delivered at the n-th call of `at.call`; `killed`: whether the kill point was reached. */
function killed(args: string[], at: { call: string; n: number }): { killed: boolean; code: number | null } {
  const log = `${w.profileDir}/strace-kill`;
  const r = w.ethkit(args, { wrap: ['strace', '-f', '-qq', '-o', log, '-e', `trace=${at.call}`, '-e', `inject=${at.call}:signal=SIGKILL:when=${at.n}`] });
  return { killed: /\+\+\+ killed by SIGKILL/.test(fs.readFileSync(log, 'utf8')), code: r.code };
}

/** The recovery a user does after a crash: the same rollback again (at most twice). */
function recover(): { codes: number[]; err: string } {
  const codes: number[] = [];
  let err = '';
  for (let i = 0; i < 2; i++) {
    const r = w.ethkit(['--rollback', 'va', 'vb', '--yes']);
    codes.push(r.code ?? -1);
    err += r.err;
    if (r.code !== EXIT.OK && r.code !== EXIT.UNCHANGED) break;
    if (!w.files().some(f => f.endsWith('.json'))) break;
  }
  return { codes, err };
}

test(`kill -9 at ${KILLS} random points of --apply and --rollback (seed ${SEED}): every run restored exactly`, t => {
  const pristine = w.state();
  const apply = ['--apply', 'faults', 'va', 'vb', '--yes'];
  const applyCounts = counts(apply);
  const tuned = w.state();
  assert.notEqual(tuned, pristine);
  const rollbackCounts = counts(['--rollback', 'va', 'vb', '--yes']);
  assert.equal(w.state(), pristine);
  t.diagnostic(`system calls of a clean apply: ${JSON.stringify(applyCounts)}; of a clean rollback: ${JSON.stringify(rollbackCounts)}`);

  const rand = prng(SEED);
  const tally = { apply: 0, rollback: 0, killed: 0, restored: 0, recoveredBy: new Map<string, number>() };
  for (let k = 0; k < KILLS; k++) {
    const inRollback = k % 2 === 1;
    const at = pick(rand, inRollback ? rollbackCounts : applyCounts);
    const where = `kill ${k + 1}/${KILLS}: ${inRollback ? '--rollback' : '--apply'} at ${at.call} #${at.n}`;
    if (inRollback) {
      assert.equal(w.ethkit(apply).code, EXIT.OK, where);
      tally.rollback++;
    } else tally.apply++;
    const r = killed(inRollback ? ['--rollback', 'va', 'vb', '--yes'] : apply, at);
    const wasKilled = r.killed;
    if (wasKilled) tally.killed++;
    // a run that was not killed ended as a clean run does
    else assert.equal(r.code, EXIT.OK, `${where}: not killed, exit ${r.code}`);
    const rec = recover();
    const key = `${wasKilled ? 'killed' : `exit ${r.code}`} -> rollback ${rec.codes.join(',')}`;
    tally.recoveredBy.set(key, (tally.recoveredBy.get(key) ?? 0) + 1);
    for (const c of rec.codes) {
      assert.ok([EXIT.OK, EXIT.UNCHANGED, EXIT.ERROR].includes(c as 0 | 1 | 2), `${where}: rollback exit ${c}: ${rec.err}`);
      if (c === EXIT.ERROR) assert.match(rec.err, /no snapshot to roll back to/, `${where}: ${rec.err}`);
    }
    assert.deepEqual(w.files(), [], `${where}: left in the state directory`);
    assert.equal(w.state(), pristine, `${where}: not restored (${key})`);
    // the lock was released by the kernel: the next run does not wait
    const quick = w.ethkit(['--rollback', 'va', '--no-wait']);
    assert.match(quick.err, /no snapshot to roll back to/, `${where}: ${quick.err}`);
    tally.restored++;
  }
  const how = [...tally.recoveredBy].map(([k, v]) => `${v}× ${k}`).join('; ');
  const line = `kill points: ${KILLS} tried (${tally.apply} in --apply, ${tally.rollback} in --rollback, ${tally.killed} hit before the run ended), ${tally.restored} restored exactly; ${how}`;
  t.diagnostic(line);
  console.log(`# ${line}`);
  // a kill in the middle of a two-device rollback, between the two pops: the same command finishes it
  assert.equal(w.ethkit(apply).code, EXIT.OK);
  const mid = killed(['--rollback', 'va', 'vb'], { call: 'unlink', n: 2 });
  assert.ok(mid.killed, `exit ${mid.code}`);
  const again = w.ethkit(['--rollback', 'va', 'vb']);
  assert.ok(again.code === EXIT.OK || again.code === EXIT.UNCHANGED, again.out + again.err);
  assert.match(again.out, /va: rolled back already by the interrupted run/);
  assert.equal(w.state(), pristine);
  assert.deepEqual(w.files(), []);
  // only the same command finishes an interrupted rollback
  assert.equal(w.ethkit(apply).code, EXIT.OK);
  assert.ok(killed(['--rollback', 'va', 'vb'], { call: 'unlink', n: 2 }).killed);
  const other = w.ethkit(['--rollback', 'vb']);
  assert.equal(other.code, EXIT.ERROR);
  assert.match(other.err, /^ethkit: an interrupted --rollback of va vb is not finished: run ethkit --rollback va vb to finish it; nothing changed\n$/);
  const ap = w.ethkit(apply);
  assert.equal(ap.code, EXIT.ERROR);
  assert.match(ap.err, /an interrupted --rollback of va vb is not finished: run ethkit --rollback va vb first; nothing changed/);
  assert.ok([EXIT.OK, EXIT.UNCHANGED].includes(w.ethkit(['--rollback', 'va', 'vb']).code as 0 | 2));
  assert.equal(w.state(), pristine);
});
