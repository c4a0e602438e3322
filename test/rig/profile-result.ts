/**
 * Guest side of test/rig/profiles.sh: reads what the plan/apply/verify/rollback runs left in their
 * directories, judges each run and prints its PROFILE line and detail lines, then PROFILES
 * PASS|FAIL (exit 1 on FAIL).
 *
 *   node dist/test/rig/profile-result.js RUNDIR...
 *
 * A run directory holds `meta` (key=value lines written by the shell: interface, driver, label,
 * carrier counters, the state comparison, how the commands ran), the outputs of the four commands
 * — `plan.rec`, `apply.rec`, `verify.rec`, `rollback.rec` (records of `ethkit --json --batch`,
 * with `exit` and `json`) or `plan.json` … with the exit codes in meta (separate processes) — and,
 * for a device with an RSS indirection table, `x-after` and `l-after` (ethtool -x and -l after the
 * apply) and `fh-before`/`fh-after` (ethtool -n DEV rx-flow-hash udp4 before and after it).
 * Only node:fs and node:path: it runs in a TCG guest, where every module costs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface Row { device?: string | null; id: string; group?: string; setting: string; current?: string | null; target?: string | null; action: string; reason?: string }
interface Step { step: string; kind: string; status: string; refused?: string[]; error?: string }
interface Out { link_resets?: number; result?: string; rows?: Row[]; steps?: Step[]; drift?: Row[]; summary?: Record<string, number>; error?: string; undo_errors?: string[] }

const word = (s: string): string => s.replace(/\s+/g, '_');

/** ethtool -n … rx-flow-hash lines → ethtool's letters. */
const LETTERS: Record<string, string> = {
  'L2DA': 'm', 'VLAN tag': 'v', 'L3 proto': 't', 'IP SA': 's', 'IP DA': 'd',
  'L4 bytes 0 & 1 [TCP/UDP src port]': 'f', 'L4 bytes 2 & 3 [TCP/UDP dst port]': 'n',
};
/** Letters in ethtool's print order (m v t s d f n), as hashOf gives them. */
const canon = (s: string): string => /^[mvtsdfn]+$/.test(s) ? [...'mvtsdfn'].filter(c => s.includes(c)).join('') : s;
/** ethtool -n DEV rx-flow-hash udp4 as letters (sdfn), "r" for discard, or the error. */
function hashOf(t: string | null): string {
  if (t === null) return 'none';
  if (/All matching flows discarded/.test(t)) return 'r';
  const lines = t.split('\n');
  const at = lines.findIndex(l => /use these fields/.test(l));
  if (at < 0) return /Operation not supported/.test(t) ? 'unsupported' : `error(${word(t.trim().split('\n').pop() ?? '')})`;
  return lines.slice(at + 1).map(l => l.trim()).filter(Boolean).map(l => LETTERS[l] ?? (l === 'None' ? '' : `?${word(l)}`)).join('') || 'none';
}

/** Judges one run directory; returns its lines and whether it passed. */
export function judge(dir: string): { lines: string[]; ok: boolean } {
  const file = (name: string): string | null => { const f = path.join(dir, name); return existsSync(f) ? readFileSync(f, 'utf8') : null; };
  const meta: Record<string, string> = {};
  for (const l of (file('meta') ?? '').split('\n')) { const i = l.indexOf('='); if (i > 0) meta[l.slice(0, i)] = l.slice(i + 1); }
  const num = (k: string): number => Number(meta[k] ?? NaN);
  const cmd = (name: string): { exit: number | null; json: Out | null } => {
    const rec = file(`${name}.rec`);
    if (rec !== null) {
      try { const r = JSON.parse(rec) as { exit?: number; json?: Out }; return { exit: r.exit ?? null, json: r.json ?? null }; } catch { return { exit: null, json: null }; }
    }
    let json: Out | null = null;
    try { json = JSON.parse(file(`${name}.json`) ?? '') as Out; } catch { /* no output */ }
    return { exit: meta[`${name}_exit`] !== undefined ? Number(meta[`${name}_exit`]) : null, json };
  };
  const plan = cmd('plan'), apply = cmd('apply'), verify = cmd('verify'), rb = cmd('rollback');
  const details: string[] = [];
  const problems: string[] = [];

  const drift = (verify.json?.drift ?? []).map(d => word(d.setting));
  const planned = plan.json?.link_resets;
  const downs = num('downs1') - num('downs0');
  const cycleDowns = num('downs2') - num('downs0');
  const changes = num('changes1') - num('changes0');
  // e1000e under qemu takes pause rx off, then turns it on again when the link comes back up
  // (flow control from the PHY although pause autoneg is off): that one drift, on e1000e only.
  const quirk = meta.driver === 'e1000e' && verify.exit === 3 && drift.length === 1 && drift[0] === 'pause_rx';

  if (plan.exit !== 0) problems.push(`plan exit ${plan.exit}`);
  if (apply.exit !== 0) problems.push(`apply exit ${apply.exit}`);
  if (verify.exit !== 0 && !quirk) problems.push(`verify exit ${verify.exit}`);
  if (rb.exit !== 0) problems.push(`rollback exit ${rb.exit}`);
  if (meta.state !== 'same') problems.push('the state after the rollback differs from before');
  if (meta.carrier !== 'ok') problems.push(`carrier: ${meta.carrier}`);
  if (typeof planned !== 'number') problems.push('the plan gave no link_resets');
  else if (!(downs <= planned)) problems.push(`the apply took the link down ${downs} time(s), the plan said ${planned} link reset(s)`);
  if (planned !== undefined && apply.json && apply.json.link_resets !== planned) problems.push(`the plan said ${planned} link reset(s), the apply ran ${apply.json.link_resets}`);
  const cycleBudget = (apply.json?.link_resets ?? 0) + (rb.json?.link_resets ?? 0);
  if (!(cycleDowns <= cycleBudget)) problems.push(`from the apply to the end of the rollback the link went down ${cycleDowns} time(s), apply and rollback planned ${cycleBudget}`);
  if (meta.rss_back === 'NO') problems.push('the RSS indirection table after the rollback is not the one before');

  for (const r of plan.json?.rows ?? []) if (r.action === 'skip') details.push(`  skipped ${r.device ?? '(host)'} ${r.setting}: ${r.reason ?? ''}`);
  const refused = (apply.json?.steps ?? []).flatMap(s => (s.refused ?? []).map(word));
  for (const s of apply.json?.steps ?? []) {
    if (s.refused?.length) details.push(`  refused by the driver in ${s.step}: ${s.refused.join(', ')} (skipped)`);
    if (s.status !== 'done') details.push(`  step ${s.status}: ${s.step}${s.error ? ` — ${s.error}` : ''}`);
  }
  for (const [name, o] of [['apply', apply.json], ['rollback', rb.json]] as const) {
    if (o?.error) details.push(`  ${name} error: ${o.error}`);
    for (const e of o?.undo_errors ?? []) details.push(`  ${name} undo error: ${e}`);
  }
  for (const d of verify.json?.drift ?? []) details.push(`  drift ${d.setting}: ${d.current ?? '-'} (profile: ${d.target ?? '-'})${quirk ? ' (the e1000e pause quirk)' : ''}`);

  const extra: string[] = [];
  // ---- RSS: the table spread equally over the queues after the apply ------------------------
  const xAfter = file('x-after');
  if (xAfter !== null && /indirection table/.test(xAfter)) {
    // rows are "%5u: " and the entries; the hash key's line ("22:4f:…") has no blank after a colon
    const table = xAfter.split('\n').filter(l => /^\s*\d+: /.test(l)).flatMap(l => l.replace(/^\s*\d+: /, '').trim().split(/\s+/).map(Number));
    // the queues the profile's channels leave: combined + rx of the current settings
    const cur = (file('l-after') ?? '').split('Current hardware settings:')[1] ?? '';
    const chan = (k: string): number => Number(new RegExp(`^${k}:\\s*(\\d+)`, 'm').exec(cur)?.[1] ?? 0);
    const queues = chan('Combined') + chan('RX');
    const counts = new Array<number>(Math.max(queues, 0)).fill(0);
    let outside = 0;
    for (const q of table) { if (q < queues) counts[q]++; else outside++; }
    const spread = counts.length > 0 && outside === 0 && Math.max(...counts) - Math.min(...counts) <= 1;
    const indirRow = (plan.json?.rows ?? []).find(r => r.id === 'rss:indir');
    // a profile that spreads the table (director) must leave it equal; one without rss leaves it alone
    if (indirRow) extra.push(`rss=${spread ? 'equal' : 'UNEVEN'}/${queues}:${counts.join('+')}`);
    if (indirRow && indirRow.action !== 'skip' && !spread) problems.push(`after the apply the indirection table (${table.length} entries) is not spread equally over ${queues} queue(s): ${counts.join('+')}${outside ? `, ${outside} beyond them` : ''}`);
    for (const r of (plan.json?.rows ?? []).filter(r => r.group === 'rss' && r.id !== 'rss:flow-hash.udp4')) {
      details.push(`  plan ${r.setting}: ${r.current ?? '-'} -> ${r.target ?? '-'} ${r.action}${r.reason ? `: ${r.reason}` : ''}`);
    }
  }
  // ---- rx-flow-hash udp4: what the plan said against ethtool -n read back -------------------
  const fhRow = (plan.json?.rows ?? []).find(r => r.id === 'rss:flow-hash.udp4');
  const fhBefore = file('fh-before');
  if (fhRow && fhBefore !== null) {
    const before = hashOf(fhBefore);
    const after = hashOf(file('fh-after'));
    // refused by the driver during the apply (kept as skipped): left as it was
    const refusedHere = refused.includes(word(fhRow.setting));
    const how = refusedHere ? 'refused' : fhRow.action;
    const want = fhRow.action === 'skip' || refusedHere ? before : canon(fhRow.target ?? '?');
    extra.push(`flow_udp4=${how}:${before}->${after}`);
    details.push(`  plan rx-flow-hash udp4: ${fhRow.current ?? '-'} -> ${fhRow.target ?? '-'} ${fhRow.action}${fhRow.reason ? `: ${fhRow.reason}` : ''}; ethtool -n read ${before} before, ${after} after the apply`);
    if (after !== want) problems.push(`rx-flow-hash udp4: the plan said ${how} (${fhRow.target}), ethtool -n reads ${after} after the apply (before: ${before})`);
    if (fhRow.action === 'ok' && before !== canon(fhRow.target ?? '?')) problems.push(`rx-flow-hash udp4: the plan said ok (${fhRow.target}), ethtool -n read ${before} before`);
  }
  if (meta.rss_back) extra.push(`rss_back=${meta.rss_back}`);
  // ---- sysctls: what the kernel holds after the apply is the plan's target ---------------------
  const applied = new Map<string, string>();
  for (const l of (file('sysctl-applied') ?? '').split('\n')) { const i = l.indexOf(' '); if (i > 0) applied.set(l.slice(0, i), l.slice(i + 1)); }
  const same = (a: string, b: string): boolean => {
    const [x, y] = [a.trim().split(/\s+/), b.trim().split(/\s+/)];
    // CPU bitmaps read back zero-padded and comma-grouped (00000003): compared as numbers
    const hex = (v: string[]) => v.length === 1 && /^[0-9a-f,]+$/i.test(v[0]) ? BigInt(`0x${v[0].replace(/,/g, '')}`) : null;
    return x.join(' ') === y.join(' ') || (hex(x) !== null && hex(x) === hex(y));
  };
  let sysctls = 0;
  for (const r of plan.json?.rows ?? []) {
    if (!r.id.startsWith('file:/proc/sys/') || (r.action !== 'set' && r.action !== 'ok') || r.target == null) continue;
    const f = r.id.slice('file:'.length);
    const got = applied.get(f);
    sysctls++;
    if (got === undefined || got === '(absent)' || !same(got, r.target)) problems.push(`${f}: the kernel holds ${got ?? 'nothing read'} after the apply, the plan's target is ${r.target}`);
  }
  if (file('sysctl-applied') !== null) extra.push(`sysctls=${sysctls}`);
  // the director's IPVS keys are applied for real where ip_vs is loaded (never skipped as absent)
  if (meta.label?.startsWith('director') && meta.ipvs === 'loaded') {
    const vs = (plan.json?.rows ?? []).filter(r => r.id.startsWith('file:/proc/sys/net/ipv4/vs/'));
    // a key a condition leaves out (only when mode == nat) is not wanted; one skipped as absent is
    const notSet = vs.filter(r => r.action === 'skip' && !/est_cpulist/.test(r.id) && !/^only when /.test(r.reason ?? ''));
    if (vs.length === 0) problems.push('the director planned no net.ipv4.vs key although ip_vs is loaded');
    for (const r of notSet) problems.push(`${r.setting} skipped although ip_vs is loaded: ${r.reason ?? ''}`);
    extra.push(`ipvs_keys=${vs.length - notSet.length}`);
  }

  const result = problems.length ? 'FAIL' : quirk ? 'ok-quirk' : 'ok';
  const line = [
    'PROFILE', meta.iface, meta.driver, meta.label,
    `plan=${plan.exit}`, `apply=${apply.exit}`, `verify=${verify.exit}`, `rollback=${rb.exit}`,
    `link_resets=${planned ?? '?'}`, `carrier_changes=${changes}`, `carrier_downs=${downs}`, `cycle_downs=${cycleDowns}`,
    `state=${meta.state === 'same' ? 'same' : 'DIFFERENT'}`, `drift=[${drift.join(',')}]`,
    `apply_resets=${apply.json?.link_resets ?? '?'}`, `rollback_resets=${rb.json?.link_resets ?? '?'}`,
    `set=${plan.json?.summary?.set ?? '?'}`, `skipped=${plan.json?.summary?.skip ?? '?'}`, `refused=[${refused.join(',')}]`,
    ...extra, `via=${meta.via}`, `secs=${meta.secs}`, `result=${result}`,
  ].join(' ');
  const tail = problems.map(p => `  FAIL: ${p}`);
  const diff = file('state.diff');
  if (meta.state !== 'same' && diff) tail.push(...diff.split('\n').filter(Boolean).slice(0, 30).map(l => `  state diff: ${l}`));
  return { lines: [line, ...tail, ...details], ok: problems.length === 0 };
}

if (require.main === module) {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) { process.stderr.write('usage: profile-result RUNDIR...\n'); process.exit(2); }
  let pass = true;
  for (const d of dirs) {
    const r = judge(d);
    pass &&= r.ok;
    process.stdout.write(r.lines.join('\n') + '\n');
  }
  process.stdout.write(`PROFILES ${pass ? 'PASS' : 'FAIL'}\n`);
  process.exit(pass ? 0 : 1);
}
