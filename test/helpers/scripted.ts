/**
 * A scripted fake Transport for exact-protocol tests, in the spirit of ethtool's own
 * test-features harness: the test lists, in order, every SIOCETHTOOL request it expects the
 * code under test to make, and for each one what the "kernel" answers.
 *
 *   const t = new ScriptedTransport('eth9', [
 *     { cmd: 'GRINGPARAM', reply: { rx_max_pending: 4096, rx_pending: 512, tx_pending: 512 } },
 *     { cmd: 'SRINGPARAM', bytes: structBytes(ethtool_ringparam, 'SRINGPARAM', { ... }) },
 *   ]);
 *   new Nic('eth9', t).setRing({ rx_pending: 1024 });
 *   t.assertDone();
 *
 * Each step may check the request (ifname, cmd, exact bytes, exact length, some decoded
 * fields, or any predicate) and answers it the way the kernel does: it writes `reply` fields
 * and `data` bytes into the caller's buffer in place, then returns `rc` (default 0) or
 * -`errno`. A request that does not match the next step, or any request after the last step,
 * is recorded and thrown as an AssertionError; assertDone() also fails on steps never reached.
 *
 * Like the kernel's ETHTOOL_GSTRINGS/GSTATS/TEST, a step may answer with more data than the
 * caller's buffer holds (the kernel sizes its copy from the driver's current count, not from
 * the request). What happens then is the `overflow` option:
 *   - 'fail' (default): the test fails: with a plain buffer the kernel would have written
 *     past its end.
 *   - 'efault': like a buffer that ends at an inaccessible guard page (what KoffiTransport
 *     gives the kernel for these commands): the header and what fits are written, the rest is
 *     refused and the call returns -EFAULT.
 */
import { AssertionError } from 'node:assert';
import { Transport } from '../../src/ffi/transport';
import { decode, encode, request, StructLayout, Decoded, FieldValue } from '../../src/ethtool/layout';
import * as S from '../../src/ethtool/structs';
import { ETHTOOL, EthtoolCmdName } from '../../src/ethtool/constants';

const EFAULT = 14;

/** The struct each ETHTOOL_* command carries (value-carrying legacy commands use ethtool_value). */
export const LAYOUT_OF: Readonly<Record<number, StructLayout>> = (() => {
  const m: Record<number, StructLayout> = {};
  const set = (L: StructLayout, ...cmds: EthtoolCmdName[]) => { for (const c of cmds) m[ETHTOOL[c]] = L; };
  set(S.ethtool_cmd, 'GSET', 'SSET');
  set(S.ethtool_drvinfo, 'GDRVINFO');
  set(S.ethtool_regs, 'GREGS');
  set(S.ethtool_wolinfo, 'GWOL', 'SWOL');
  set(S.ethtool_value, 'GMSGLVL', 'SMSGLVL', 'NWAY_RST', 'GLINK', 'GRXCSUM', 'SRXCSUM', 'GTXCSUM', 'STXCSUM',
    'GSG', 'SSG', 'PHYS_ID', 'GTSO', 'STSO', 'GUFO', 'SUFO', 'GGSO', 'SGSO', 'GFLAGS', 'SFLAGS', 'GPFLAGS', 'SPFLAGS',
    'GGRO', 'SGRO', 'RESET');
  set(S.ethtool_eeprom, 'GEEPROM');
  set(S.ethtool_coalesce, 'GCOALESCE', 'SCOALESCE');
  set(S.ethtool_ringparam, 'GRINGPARAM', 'SRINGPARAM');
  set(S.ethtool_pauseparam, 'GPAUSEPARAM', 'SPAUSEPARAM');
  set(S.ethtool_test, 'TEST');
  set(S.ethtool_gstrings, 'GSTRINGS');
  set(S.ethtool_stats, 'GSTATS');
  set(S.ethtool_perm_addr, 'GPERMADDR');
  set(S.ethtool_sset_info, 'GSSET_INFO');
  set(S.ethtool_gfeatures, 'GFEATURES');
  set(S.ethtool_sfeatures, 'SFEATURES');
  set(S.ethtool_channels, 'GCHANNELS', 'SCHANNELS');
  set(S.ethtool_link_settings, 'GLINKSETTINGS', 'SLINKSETTINGS');
  set(S.ethtool_fecparam, 'GFECPARAM', 'SFECPARAM');
  set(S.ethtool_ts_info, 'GET_TS_INFO');
  set(S.ethtool_eee, 'GEEE', 'SEEE');
  set(S.ethtool_tunable, 'GTUNABLE', 'STUNABLE', 'PHY_GTUNABLE', 'PHY_STUNABLE');
  return m;
})();

const CMD_NAME: Record<number, string> = Object.fromEntries(Object.entries(ETHTOOL).map(([k, v]) => [v, k]));
export function cmdName(cmd: number): string {
  return CMD_NAME[cmd] ?? `0x${cmd.toString(16)}`;
}

export interface Step {
  /** The interface the request must name (default: the transport's interface). */
  ifname?: string;
  /** The ETHTOOL_* command the request must carry in its first u32. */
  cmd: EthtoolCmdName | number;
  /** The whole request buffer must be exactly these bytes (length included). */
  bytes?: Uint8Array | readonly number[];
  /** The request buffer must be exactly this many bytes long. */
  length?: number;
  /** These fields of the request, decoded with the command's struct, must have these values. */
  fields?: Readonly<Record<string, FieldValue>>;
  /** Any other check: return false or a reason string to reject, or throw. */
  check?: (req: Decoded, raw: Uint8Array) => boolean | string | void;
  /** Fields the "kernel" writes back (with the command's struct). */
  reply?: Readonly<Record<string, FieldValue>>;
  /** Bytes the "kernel" writes back at `dataAt` (default: the struct's flexible array). */
  data?: Uint8Array | readonly number[];
  dataAt?: number;
  /** Anything else written back, with full access to the buffer. */
  respond?: (raw: Uint8Array, view: DataView) => void;
  /** Fail with this errno after writing any reply (returns -errno). */
  errno?: number;
  /** Non-negative ioctl result (default 0), e.g. ETHTOOL_F_* bits for SFEATURES. */
  rc?: number;
  /** Shown in failure messages. */
  note?: string;
}

export interface Seen { ifname: string; cmd: number; bytes: Uint8Array }

export interface ScriptOptions { overflow?: 'fail' | 'efault' }

export class ScriptedTransport implements Transport {
  /** Every request made, with a copy of its bytes as sent. */
  readonly seen: Seen[] = [];
  readonly failures: string[] = [];
  private next = 0;
  closed = false;
  private readonly steps: Step[];
  private readonly overflow: 'fail' | 'efault';

  constructor(readonly ifname: string, steps: Step[] = [], opts: ScriptOptions = {}) {
    this.steps = [...steps];
    this.overflow = opts.overflow ?? 'fail';
  }

  /** Append more expected requests. */
  expect(...steps: Step[]): this {
    this.steps.push(...steps);
    return this;
  }

  alloc(size: number): Uint8Array { return new Uint8Array(size); }
  close(): void { this.closed = true; }

  async ioctlAsync(ifname: string, data: Uint8Array): Promise<number> { return this.ioctl(ifname, data); }

  ioctl(ifname: string, raw: Uint8Array): number {
    const cmd = raw.byteLength >= 4 ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength).getUint32(0, true) : -1;
    const index = this.seen.length;
    this.seen.push({ ifname, cmd, bytes: raw.slice() });
    const step = this.steps[this.next];
    const where = `request #${index} (${ifname} ${cmdName(cmd)}, ${raw.byteLength} bytes)`;
    if (!step) return this.fail(`${where}: unexpected, the script has no more steps`);
    this.next++;
    const label = `${where} vs step #${this.next - 1} (${cmdName(stepCmd(step))}${step.note ? ': ' + step.note : ''})`;
    const problem = this.mismatch(step, ifname, cmd, raw);
    if (problem) return this.fail(`${label}: ${problem}`);
    return this.answer(step, raw, label);
  }

  /** Assert that every step was requested, in order, and nothing else. */
  assertDone(): void {
    const missing = this.steps.slice(this.next).map((s, i) => `step #${this.next + i} ${cmdName(stepCmd(s))}${s.note ? ' (' + s.note + ')' : ''}`);
    const msgs = [...this.failures];
    if (missing.length) msgs.push(`requests never made: ${missing.join(', ')}`);
    if (msgs.length) {
      const sent = this.seen.map(s => `${s.ifname}:${cmdName(s.cmd)}`).join(' ');
      throw new AssertionError({ message: `${msgs.join('\n')}\nrequests made: ${sent || '(none)'}` });
    }
  }

  /** The command names requested so far, in order. */
  cmds(): string[] { return this.seen.map(s => cmdName(s.cmd)); }

  private fail(msg: string): never {
    this.failures.push(msg);
    throw new AssertionError({ message: msg });
  }

  private mismatch(step: Step, ifname: string, cmd: number, raw: Uint8Array): string | null {
    const want = stepCmd(step);
    if ((step.ifname ?? this.ifname) !== ifname) return `interface is ${ifname}, expected ${step.ifname ?? this.ifname}`;
    if (cmd !== want) return `command is ${cmdName(cmd)}, expected ${cmdName(want)}`;
    const L = LAYOUT_OF[cmd];
    if (step.length !== undefined && raw.byteLength !== step.length) return `length is ${raw.byteLength}, expected ${step.length}`;
    if (step.bytes) {
      const diff = diffBytes(Uint8Array.from(step.bytes), raw, L);
      if (diff) return diff;
    }
    if (step.fields || step.check) {
      if (!L) return `no struct known for ${cmdName(cmd)} to decode the request`;
      if (raw.byteLength < L.size) return `request is ${raw.byteLength} bytes, shorter than struct ${L.cname} (${L.size})`;
      const d = decode(L, raw);
      for (const [k, v] of Object.entries(step.fields ?? {})) {
        if (!(k in d)) return `struct ${L.cname} has no field ${k}`;
        if (!sameValue(d[k], v)) return `field ${k} is ${show(d[k])}, expected ${show(v)}`;
      }
      if (step.check) {
        const r = step.check(d, raw);
        if (r === false) return 'the step\'s check rejected it';
        if (typeof r === 'string') return r;
      }
    }
    return null;
  }

  private answer(step: Step, raw: Uint8Array, label: string): number {
    const L = LAYOUT_OF[stepCmd(step)];
    if (step.reply) {
      if (!L) return this.fail(`${label}: no struct known to encode the reply`);
      encode(L, step.reply, raw);
    }
    if (step.data) {
      const at = step.dataAt ?? L?.flex?.offset;
      if (at === undefined) return this.fail(`${label}: no flexible array to write data into; give dataAt`);
      const bytes = Uint8Array.from(step.data);
      const room = Math.max(0, raw.byteLength - at);
      if (bytes.byteLength > room) {
        if (this.overflow === 'fail') {
          return this.fail(`${label}: the kernel would write ${bytes.byteLength - room} bytes past the end of the ${raw.byteLength}-byte buffer`);
        }
        raw.set(bytes.subarray(0, room), at);
        return -EFAULT;
      }
      raw.set(bytes, at);
    }
    step.respond?.(raw, new DataView(raw.buffer, raw.byteOffset, raw.byteLength));
    if (step.errno) return -step.errno;
    return step.rc ?? 0;
  }
}

function stepCmd(s: Step): number {
  return typeof s.cmd === 'number' ? s.cmd : ETHTOOL[s.cmd];
}

function sameValue(a: FieldValue, b: FieldValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  if (typeof a === 'bigint' || typeof b === 'bigint') return BigInt(a as number) === BigInt(b as number);
  return a === b;
}

function show(v: FieldValue): string {
  return typeof v === 'bigint' ? `${v}n` : JSON.stringify(v);
}

/** Which field of `L` covers byte `off` (or the flexible array). */
function fieldAt(L: StructLayout | undefined, off: number): string {
  if (!L) return '?';
  for (const f of L.fields) {
    if (f.flexible && off >= f.offset) return `${f.name}[+${off - f.offset}]`;
    if (off >= f.offset && off < f.offset + f.size) return f.name;
  }
  return 'padding';
}

/** null when equal, else a one-line description of the first difference. */
export function diffBytes(want: Uint8Array, got: Uint8Array, L?: StructLayout): string | null {
  const n = Math.min(want.byteLength, got.byteLength);
  for (let i = 0; i < n; i++) {
    if (want[i] !== got[i]) {
      return `byte ${i} (${L ? L.cname + '.' : ''}${fieldAt(L, i)}) is 0x${hex(got[i])}, expected 0x${hex(want[i])}` +
        `\n  expected ${hexdump(want)}\n  got      ${hexdump(got)}`;
    }
  }
  if (want.byteLength !== got.byteLength) return `request is ${got.byteLength} bytes, expected ${want.byteLength}`;
  return null;
}

function hex(b: number): string { return b.toString(16).padStart(2, '0'); }
export function hexdump(b: Uint8Array): string { return Array.from(b, hex).join(''); }

// ---- builders for expected requests and kernel-style replies ------------------------------

/** The exact bytes of a request: struct `L` zeroed, `cmd` set, `fields` encoded, `flex` appended. */
export function structBytes(L: StructLayout, cmd: EthtoolCmdName, fields: Readonly<Record<string, FieldValue>> = {}, flex?: Uint8Array | number): Uint8Array {
  const extra = typeof flex === 'number' ? flex : flex?.byteLength ?? 0;
  const buf = request(L, ETHTOOL[cmd], extra);
  encode(L, fields, buf);
  if (flex instanceof Uint8Array) buf.set(flex, L.flex!.offset);
  return buf;
}

/** Little-endian u32 words as bytes. */
export function u32s(...words: number[]): Uint8Array {
  const b = new Uint8Array(4 * words.length);
  const v = new DataView(b.buffer);
  words.forEach((w, i) => v.setUint32(4 * i, w >>> 0, true));
  return b;
}

/** Little-endian u64 values as bytes. */
export function u64s(values: readonly (bigint | number)[]): Uint8Array {
  const b = new Uint8Array(8 * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => v.setBigUint64(8 * i, BigInt(x), true));
  return b;
}

/** ETH_GSTRING_LEN-byte NUL-padded strings, as the kernel lays out a string set. */
export function gstrings(names: readonly string[]): Uint8Array {
  const b = Buffer.alloc(S.ETH_GSTRING_LEN * names.length);
  names.forEach((n, i) => b.write(n, i * S.ETH_GSTRING_LEN, S.ETH_GSTRING_LEN - 1, 'latin1'));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The steps of a string-set read: GSSET_INFO answering `names.length`, then GSTRINGS. */
export function stringSetSteps(ss: number, names: readonly string[], opts: { answer?: readonly string[] } = {}): Step[] {
  const answer = opts.answer ?? names;
  return [
    ssetInfoStep(ss, names.length),
    {
      cmd: 'GSTRINGS', fields: { string_set: ss, len: names.length },
      length: S.ethtool_gstrings.size + S.ETH_GSTRING_LEN * names.length,
      reply: { len: answer.length }, data: gstrings(answer),
    },
  ];
}

/** GSSET_INFO asking for exactly set `ss`, answering `count` (or -errno when `errno` given). */
export function ssetInfoStep(ss: number, count: number, errno?: number): Step {
  const bit = 1n << BigInt(ss);
  return errno
    ? { cmd: 'GSSET_INFO', fields: { sset_mask: bit }, errno }
    : { cmd: 'GSSET_INFO', fields: { sset_mask: bit }, length: S.ethtool_sset_info.size + 4, reply: { sset_mask: bit }, data: u32s(count) };
}

/** GSTATS for `expect` counters answered with `values` (whose length is the driver's count). */
export function statsStep(expect: number, values: readonly (bigint | number)[]): Step {
  return {
    cmd: 'GSTATS', fields: { n_stats: expect }, length: S.ethtool_stats.size + 8 * expect,
    reply: { n_stats: values.length }, data: u64s(values),
  };
}

/** GDRVINFO answered with `info` (driver name, counts …). */
export function drvinfoStep(info: Readonly<Record<string, FieldValue>>): Step {
  return { cmd: 'GDRVINFO', bytes: structBytes(S.ethtool_drvinfo, 'GDRVINFO'), reply: info };
}
