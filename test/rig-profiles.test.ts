/**
 * Every shipped profile × every rig driver: in two rig VMs side by side (rig/README.md; 2 vCPUs,
 * ip_vs loaded), test/rig/profiles.sh runs --plan, --apply --yes --json, --verify --json and
 * --rollback of each profile in profiles/ (read now, so a new profile joins by itself) on e1000,
 * e1000e, 8139cp, vmxnet3, pcnet32, e100, virtio_net and netdevsim, and compares the state read
 * back with ethtool and procfs/sysfs after the rollback with the state before. One VM's virtio_net
 * has the device's RSS (--virtio-rss 2) and a table on queue 0 only: after the director's apply
 * the table must be spread equally over the queues, rx-flow-hash udp4 as the plan said (set, or
 * skipped or refused and left as it was), and the exact table back after the rollback. Director
 * also runs once with mode=nat, as processes of their own (the other runs go through one
 * `ethkit --json --batch`). Then, when the checkout has it, test/rig/profile-faults.sh (faults
 * injected through netdevsim's debugfs) in the VM with netdevsim.
 *
 * Asserted per driver × profile: exit codes 0/0/0/0 (verify 3 only for e1000e's pause rx, a
 * qemu quirk), state the same, the link down no more often during the apply than the plan's
 * link resets (carrier_down_count; each reset is a down and an up in carrier_changes), every pair
 * present. Fails — never skips — when the rig cannot be set up or booted. Prints a summary table
 * per driver to stderr.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { field, rigWhy, ROOT, runStreamed, SETUP_TIMEOUT_MS } from './helpers/rigboot';

const RIG_COMMON = ['--smp', '2', '--modules', 'crc32c_generic,ip_vs'];
/**
 * The VMs: drivers split so that both take about as long (per driver, three profiles, on a
 * loaded 2-core host: e1000/e1000e ~30 s with their link waits, netdevsim ~20 s plus the
 * profile-faults script, the others ~15-25 s). netdevsim only in the VM without --no-nsim.
 */
const GROUPS = [
  { name: 'a', args: ['--nics', 'e1000,rtl8139,i82559er,virtio-net', '--no-nsim', '--virtio-rss', '2'], extra: '' },
  { name: 'b', args: ['--nics', 'e1000e,vmxnet3,pcnet'], extra: 'director:mode=nat@vmxnet3' },
];
const DRIVERS = ['e1000', 'e1000e', '8139cp', 'vmxnet3', 'pcnet32', 'e100', 'virtio_net', 'netdevsim'];
const EXTRA: [string, string][] = [['vmxnet3', 'director:mode=nat']];
/** A VM's budget: the guest takes ~3-5 min; three times that for a host shared with other VMs. */
const VM_TIMEOUT_S = 1200;

test('every shipped profile on every rig driver: plan, apply, verify, rollback, state as before', { timeout: SETUP_TIMEOUT_MS + (VM_TIMEOUT_S + 120) * 1000 }, async () => {
  const t0 = Date.now();
  const profiles = readdirSync(path.join(ROOT, 'profiles')).filter(f => f.endsWith('.yaml')).map(f => f.slice(0, -5)).sort();
  assert.ok(profiles.length >= 3, `profiles/ has ${profiles.join(', ')}`);
  assert.ok(existsSync(path.join(ROOT, 'dist/test/rig/profile-result.js')), 'build first (tsc -p .)');
  const faults = existsSync(path.join(ROOT, 'test/rig/profile-faults.sh'));

  // rig/setup once (two at once could both rebuild the cache), then both VMs side by side
  const setup = await runStreamed('setup', path.join(ROOT, 'rig/setup'), [], SETUP_TIMEOUT_MS);
  assert.equal(setup.code, 0, `rig/setup failed (${rigWhy(setup.code)}):\n${setup.out.slice(-2000)}`);
  const runs = await Promise.all(GROUPS.map(g => runStreamed(g.name, path.join(ROOT, 'rig/run'), [
    ...RIG_COMMON, ...g.args, '--env', `PROFILES=${profiles.join(' ')}`, ...(g.extra ? ['--env', `PROFILE_EXTRA=${g.extra}`] : []),
    '--timeout', String(VM_TIMEOUT_S), '--', 'bash', 'test/rig/profiles.sh'], (VM_TIMEOUT_S + 60) * 1000)));
  const wall = Math.round((Date.now() - t0) / 1000);

  const problems: string[] = [];
  const lines: string[] = [];
  runs.forEach((r, i) => {
    if (r.code !== 0) problems.push(`VM ${GROUPS[i].name}: rig/run ${rigWhy(r.code)}`);
    const own = r.out.split('\n');
    lines.push(...own);
    if (!own.includes('PROFILES PASS')) problems.push(`VM ${GROUPS[i].name}: the guest script did not print PROFILES PASS`);
    for (const l of own.filter(x => x.startsWith('FAIL: ') || x.startsWith('  FAIL: '))) problems.push(`VM ${GROUPS[i].name}: ${l.trim()}`);
  });
  const results = lines.filter(l => l.startsWith('PROFILE ') && !l.startsWith('PROFILE-'));
  const key = (l: string): string => `${l.split(' ')[2]} ${l.split(' ')[3]}`;

  // every pair present, exactly once
  const want = [...DRIVERS.flatMap(d => profiles.map(p => `${d} ${p}`)), ...EXTRA.map(([d, p]) => `${d} ${p}`)];
  for (const k of want) {
    const n = results.filter(l => key(l) === k).length;
    if (n !== 1) problems.push(`${k}: ${n} results`);
  }
  for (const l of results) {
    const drv = l.split(' ')[2];
    const quirk = drv === 'e1000e' && field(l, 'verify') === '3' && field(l, 'drift') === '[pause_rx]';
    for (const [k, v] of [['plan', '0'], ['apply', '0'], ['rollback', '0'], ['state', 'same']]) if (field(l, k) !== v) problems.push(`${key(l)}: ${k}=${field(l, k)}, not ${v}`);
    if (field(l, 'verify') !== '0' && !quirk) problems.push(`${key(l)}: verify=${field(l, 'verify')} drift=${field(l, 'drift')}`);
    const planned = Number(field(l, 'link_resets'));
    const downs = Number(field(l, 'carrier_downs'));
    if (!(downs <= planned)) problems.push(`${key(l)}: the link went down ${field(l, 'carrier_downs')} time(s) during the apply, the plan said ${field(l, 'link_resets')} link reset(s)`);
    if (field(l, 'link_resets') !== field(l, 'apply_resets')) problems.push(`${key(l)}: planned ${field(l, 'link_resets')} link resets, the apply ran ${field(l, 'apply_resets')}`);
    if (!['ok', 'ok-quirk'].includes(field(l, 'result') ?? '')) problems.push(`${key(l)}: result=${field(l, 'result')}`);
  }
  // the RSS device: the director spread the table and brought it back
  const rss = results.filter(l => field(l, 'rss') !== undefined);
  if (!rss.some(l => l.split(' ')[2] === 'virtio_net' && l.split(' ')[3] === 'director' && /^equal\/2:/.test(field(l, 'rss') ?? '') && field(l, 'rss_back') === 'yes')) {
    problems.push(`virtio_net (--virtio-rss 2) director: no run with the table equal over 2 queues after the apply and back after the rollback:\n${rss.join('\n')}`);
  }
  if (!lines.some(l => l.startsWith('PRESET ') && l.includes('virtio_net'))) problems.push('the RSS preset did not run on virtio_net');
  // fault injection, when the checkout has the script
  if (faults && !lines.includes('PROFILE-FAULTS PASS')) problems.push('test/rig/profile-faults.sh is in the checkout and did not print PROFILE-FAULTS PASS');

  // summary per driver: clean / total, link resets planned and links dropped per apply
  const rows = DRIVERS.map(d => {
    const of = results.filter(l => l.split(' ')[2] === d);
    const clean = of.filter(l => field(l, 'result') === 'ok').length;
    const quirks = of.filter(l => field(l, 'result') === 'ok-quirk').length;
    const per = of.map(l => `${l.split(' ')[3]} ${field(l, 'link_resets')}/${field(l, 'carrier_downs')}`).join(', ');
    return `| ${d} | ${clean}/${of.length}${quirks ? ` (+${quirks} e1000e pause quirk)` : ''} | ${per} |`;
  });
  process.stderr.write(`\n[profiles] ${results.length} runs, wall ${wall} s (rig/setup and both VMs)${faults ? `; profile-faults: ${lines.find(l => l.startsWith('PROFILE-FAULTS ')) ?? 'no result'}` : ''}\n` +
    `| driver | clean/total | link resets planned/links dropped per apply |\n|---|---|---|\n${rows.join('\n')}\n`);
  assert.deepEqual(problems, []);
});
