/**
 * Every constant of the netlink catalog must be what the C compiler says it is, and the
 * catalog must cover everything the probe prints: native/nlprobe.c prints each enumerator of
 * <linux/ethtool_netlink.h> (message ids, attribute ids, value enums), the ethtool.h enums the
 * family uses, and the netlink/genetlink/socket constants and struct layouts the code relies
 * on. Both directions are checked: a TypeScript name the probe does not print fails, and so
 * does a probed name the catalog lacks (the catalog is the full 6.1 uapi).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as NL from '../src/ethtool/netlink';
import { NL_SOCKET, SOCKADDR_NL, POLLFD } from '../src/ffi/netlink';

const ROOT = path.resolve(__dirname, '../..');
const NATIVE = path.join(ROOT, 'native');
const HEADER = '/usr/include/linux/ethtool_netlink.h';

function runProbe(): string {
  if (!existsSync(HEADER)) throw new Error(`${HEADER} is missing: install linux-libc-dev to check the netlink catalog`);
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0) throw new Error('gcc is missing: install gcc to check the netlink catalog');
  const make = spawnSync('make', ['-s', '-C', NATIVE], { encoding: 'utf8' });
  const built = path.join(NATIVE, 'build', 'nlprobe');
  if (make.status === 0 && existsSync(built)) return execFileSync(built, { encoding: 'utf8' });
  const dir = mkdtempSync(path.join(tmpdir(), 'ethkit-nlprobe-'));
  try {
    const exe = path.join(dir, 'nlprobe');
    const cc = spawnSync('gcc', ['-O0', '-Wall', '-o', exe, path.join(NATIVE, 'nlprobe.c')], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cannot compile native/nlprobe.c:\n${cc.stderr}`);
    return execFileSync(exe, { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** name → value as the probe printed it (numbers for C/Z/O lines, strings for S lines). */
function parseProbe(out: string): Map<string, number | string> {
  const m = new Map<string, number | string>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const w = line.split(' ');
    if (w.length !== 3 || !'CSZO'.includes(w[0])) throw new Error(`nlprobe printed an unexpected line: ${JSON.stringify(line)}`);
    const key = w[0] === 'Z' ? `sizeof ${w[1]}` : w[0] === 'O' ? `offsetof ${w[1]}` : w[1];
    if (m.has(key)) throw new Error(`nlprobe printed ${key} twice`);
    m.set(key, w[0] === 'S' ? w[2] : Number(w[2]));
  }
  return m;
}

/** The same names from the TypeScript side, with any conflicting double definition reported. */
function catalog(): { values: Map<string, number | string>; conflicts: string[] } {
  const values = new Map<string, number | string>();
  const conflicts: string[] = [];
  const add = (name: string, v: number | string): void => {
    if (values.has(name) && values.get(name) !== v) conflicts.push(`${name}: ${values.get(name)} and ${v}`);
    values.set(name, v);
  };
  const obj = (prefix: string, o: Readonly<Record<string, number>>, rename: Record<string, string> = {}): void => {
    for (const [k, v] of Object.entries(o)) add(rename[k] ?? prefix + k, v);
  };
  const layout = (struct: string, o: Readonly<Record<string, number>>): void => {
    for (const [k, v] of Object.entries(o)) add(k === 'size' ? `sizeof ${struct}` : `offsetof ${struct}.${k}`, v);
  };

  for (const m of NL.USER_MESSAGES.values()) add(m.cname, m.id);
  for (const m of NL.KERNEL_MESSAGES.values()) add(m.cname, m.id);
  for (const set of [...NL.ETHTOOL_ATTR_SETS, ...NL.NETLINK_ATTR_SETS]) for (const a of set.attrs) add(a.cname, a.id);
  for (const e of NL.ETHTOOL_ENUMS) obj(e.prefix, e.values);
  obj('ETH_SS_', NL.ETH_SS);
  obj('ETHTOOL_FLAG_', NL.ETHTOOL_FLAG);
  add('ETHTOOL_GENL_NAME', NL.ETHTOOL_GENL_NAME);
  add('ETHTOOL_GENL_VERSION', NL.ETHTOOL_GENL_VERSION);
  add('ETHTOOL_MCGRP_MONITOR_NAME', NL.ETHTOOL_MCGRP_MONITOR_NAME);

  obj('NLM_F_', NL.NLM_F);
  obj('NLMSG_', NL.NLMSG);
  add('NLMSG_HDRLEN', NL.NLMSG_HDRLEN);
  add('GENL_HDRLEN', NL.GENL_HDRLEN);
  add('NLA_HDRLEN', NL.NLA_HDRLEN);
  add('NLA_F_NESTED', NL.NLA_F_NESTED);
  add('NLA_F_NET_BYTEORDER', NL.NLA_F_NET_BYTEORDER);
  add('NLA_TYPE_MASK', NL.NLA_TYPE_MASK);
  obj('NLMSGERR_ATTR_', NL.NLMSGERR_ATTR);
  obj('NL_POLICY_TYPE_ATTR_', NL.NL_POLICY_TYPE_ATTR);
  obj('NL_ATTR_TYPE_', NL.NL_ATTR_TYPE);
  add('GENL_ID_CTRL', NL.GENL_ID_CTRL);
  obj('GENL_CMD_CAP_', NL.GENL_CMD_CAP, { ADMIN_PERM: 'GENL_ADMIN_PERM', UNS_ADMIN_PERM: 'GENL_UNS_ADMIN_PERM' });
  obj('CTRL_CMD_', NL.CTRL_CMD);
  layout('nlmsghdr', NL.NLMSGHDR);
  layout('genlmsghdr', NL.GENLMSGHDR);
  layout('nlmsgerr', NL.NLMSGERR_LAYOUT);
  layout('nlattr', NL.NLATTR);

  obj('', NL_SOCKET);
  layout('sockaddr_nl', SOCKADDR_NL);
  layout('pollfd', POLLFD);
  return { values, conflicts };
}

const probe = parseProbe(runProbe());
const ts = catalog();

test('the catalog defines no name twice with different values', () => {
  assert.deepEqual(ts.conflicts, []);
});

test('every catalog constant is printed by the probe, with the same value', () => {
  const missing = [...ts.values.keys()].filter(k => !probe.has(k));
  assert.deepEqual(missing, [], 'in the TypeScript catalog but not printed by native/nlprobe.c');
  const wrong = [...ts.values].filter(([k, v]) => probe.get(k) !== v).map(([k, v]) => `${k}: TypeScript ${v}, C ${probe.get(k)}`);
  assert.deepEqual(wrong, []);
});

test('the catalog covers everything the probe prints (the full 6.1 uapi)', () => {
  const extra = [...probe.keys()].filter(k => !ts.values.has(k));
  assert.deepEqual(extra, [], 'printed by native/nlprobe.c but missing from the TypeScript catalog');
});

test('the probe is not trivially small', () => {
  // 37 user + 37 kernel messages, well over 200 attribute ids.
  assert.ok(probe.size > 450, `only ${probe.size} constants probed`);
  assert.equal([...probe.keys()].filter(k => k.startsWith('ETHTOOL_MSG_')).length, 74);
});

test('every message has a table with the request header, and every GET its reply', () => {
  for (const m of [...NL.USER_MESSAGES.values(), ...NL.KERNEL_MESSAGES.values()]) {
    const h = m.attrs.byName.get('header');
    assert.ok(h && h.nested === NL.HEADER, `${m.cname} has no header attribute`);
  }
  for (const m of NL.USER_MESSAGES.values()) {
    if (!m.name.endsWith('_GET')) continue;
    const reply = NL.KERNEL_MESSAGES.get(`${m.name}_REPLY`);
    assert.ok(reply, `${m.cname} has no ${m.cname}_REPLY`);
    assert.equal(reply.attrs, m.attrs, `${m.cname} and its reply use different tables`);
  }
});

test('every bitset names a string set that exists', () => {
  const ids = new Set<number>(Object.values(NL.ETH_SS));
  for (const set of NL.ETHTOOL_ATTR_SETS) {
    for (const a of set.attrs) {
      if (a.type !== 'bitset') continue;
      assert.ok(a.strset !== undefined && ids.has(a.strset), `${a.cname} has no valid strset`);
    }
  }
});
