/**
 * LVS end to end on real drivers, in one rig VM (rig/README.md): test/rig/lvs.sh puts a client
 * (e1000) and two real servers (e1000e, virtio_net) in network namespaces on the rig's hub, runs
 * `ethkit --apply director` (mode=nat) on the director's vmxnet3 and the realserver profile (DR)
 * on each real server, configures a NAT and a DR service with Debian's ipvsadm, and sends
 * requests through each: every request must be answered, by both real servers (round robin).
 * Then everything is rolled back.
 *
 * Fails — never skips — when the rig cannot be set up or booted, or ipvsadm or ip_vs is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootRig, field, rigWhy, SETUP_TIMEOUT_MS } from './helpers/rigboot';

/** The guest takes ~4 min on a 2-core host shared with another VM; about 4 times that. */
const VM_TIMEOUT_S = 1000;

test('an LVS director forwards NAT and DR services to both real servers after --apply director', { timeout: SETUP_TIMEOUT_MS + (VM_TIMEOUT_S + 120) * 1000 }, async () => {
  const r = await bootRig('lvs', ['--smp', '2', '--modules', 'crc32c_generic,ip_vs', '--no-nsim', '--nics', 'vmxnet3,e1000,e1000e,virtio-net'],
    ['bash', 'test/rig/lvs.sh'], VM_TIMEOUT_S);
  assert.equal(r.setup, 0, `rig/setup failed:\n${r.out.slice(-2000)}`);
  const lines = r.out.split('\n');
  const problems = lines.filter(l => l.startsWith('FAIL: '));
  if (r.code !== 0) problems.push(`rig/run: ${rigWhy(r.code)}`);
  for (const svc of ['nat', 'dr']) {
    const l = lines.find(x => x.startsWith(`LVS ${svc} `));
    if (!l) { problems.push(`no result for the ${svc} service`); continue; }
    const n = Number(field(l, 'sent'));
    if (!(n > 0) || field(l, 'answered') !== String(n)) problems.push(`${svc}: not every request answered: ${l}`);
    if (!(Number(field(l, 'rs1')) > 0 && Number(field(l, 'rs2')) > 0)) problems.push(`${svc}: not answered by both real servers: ${l}`);
    if (field(l, 'other') !== '0') problems.push(`${svc}: answers from elsewhere: ${l}`);
  }
  // DR replies bypass the director, NAT replies pass through it (ipvsadm's OutPkts)
  const paths = lines.find(x => x.startsWith('LVS-PATH '));
  if (!paths || field(paths, 'dr_outpkts') !== '0' || !(Number(field(paths, 'nat_outpkts')) > 0)) problems.push(`reply paths: ${paths ?? 'no LVS-PATH line'}`);
  if (!lines.includes('LVS-RIG PASS')) problems.push('the guest script did not pass');
  process.stderr.write(`\n[lvs] summary:\n${lines.filter(l => l.startsWith('LVS ') || l.startsWith('LVS-PATH ')).map(l => `  ${l}`).join('\n')}\n`);
  assert.deepEqual(problems, []);
});
