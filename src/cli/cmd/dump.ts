/** -d (register dump) and -e (EEPROM dump): raw bytes or ethtool's generic hex layout. */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { ERRNO, strerror } from '../../ethtool/errno';
import { parseKeyValues, KeyRow } from '../parse';

/** ethtool's generic hex dump: 16 bytes a row, offsets from `base`. */
export function hexDump(data: Uint8Array, base: number): string {
  const parts: string[] = ['Offset\t\tValues\n------\t\t------'];
  for (let i = 0; i < data.length; i++) {
    if (i % 16 === 0) parts.push(`\n0x${((i + base) >>> 0).toString(16).padStart(4, '0')}:\t\t`);
    parts.push(data[i].toString(16).padStart(2, '0') + ' ');
  }
  parts.push('\n');
  return parts.join('');
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

const REGS_ARGS: KeyRow[] = [{ key: 'raw', kind: 'bool' }, { key: 'hex', kind: 'bool' }, { key: 'file', kind: 'string' }];

export function regs(ctx: Ctx): number {
  const { out, dev } = ctx;
  const opt = parseKeyValues(ctx.args, REGS_ARGS);
  if (!opt) return badArgs(out);
  const info = ops.getStruct<Record<string, number> & { driver: string; version: string }>(dev, S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
  if (!info.ok) {
    out.perror('Cannot get driver information', info.errno);
    return 72;
  }
  const got = ops.getRegs(dev, info.v.regdump_len);
  if (!got.ok) {
    out.perror('Cannot get register dump', got.errno);
    return 74;
  }
  const version = got.v.version;
  let data = got.v.data;
  const raw = opt.get('raw') === true;
  const file = opt.get('file') as string | undefined;
  if (!raw && file !== undefined) {
    const fromFile = readWhole(ctx, file);
    if (typeof fromFile === 'number') return fromFile;
    data = fromFile;
  }
  if (raw) out.print(data);
  else {
    // Unless `hex on`, a driver with a pretty printer gets it (ethtool falls back to hex too).
    const pretty = opt.get('hex') === true ? null
      : (require('../regs') as typeof import('../regs')).prettyRegs({
        driver: info.v.driver, version, data, drvVersion: info.v.version,
      });
    out.print(pretty ?? hexDump(data, 0));
  }
  out.object({ ifname: ctx.devname, version, length: data.length, data: hex(data) });
  return 0;
}

/** -d file F: the whole file replaces the dump; failures exit 75 as in ethtool. */
function readWhole(ctx: Ctx, path: string): Uint8Array | number {
  const fs = require('node:fs') as typeof import('node:fs');
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    const errno = Math.abs((e as NodeJS.ErrnoException).errno ?? 0);
    ctx.out.error(`Can't open '${path}': ${strerror(errno)}`, `Can't open '${path}': ${strerror(errno)}\n`);
    return 75;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const data = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, data, got, size - got, null);
      if (n <= 0) break;
      got += n;
    }
    // A short read (empty file, a directory) ends ethtool silently with 75.
    if (size === 0 || got < size) {
      ctx.out.fail(`short read from '${path}'`);
      return 75;
    }
    return data;
  } catch {
    ctx.out.fail(`short read from '${path}'`);
    return 75;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Whether calloc(size) fails on this machine, by the kernel's overcommit policy (the libc
 * takes such sizes straight from mmap): mode 0 refuses one request larger than RAM + swap,
 * mode 2 one beyond CommitLimit − Committed_AS, mode 1 never. Replaceable for tests.
 */
export const memory = {
  callocFails(size: number): boolean {
    if (size < 1 << 26) return false;
    try {
      const fs = require('node:fs') as typeof import('node:fs');
      const mode = fs.readFileSync('/proc/sys/vm/overcommit_memory', 'utf8').trim();
      const info = fs.readFileSync('/proc/meminfo', 'utf8');
      const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0) * 1024;
      if (mode === '1') return false;
      if (mode === '2') return size > kb('CommitLimit') - kb('Committed_AS');
      return size > kb('MemTotal') + kb('SwapTotal');
    } catch {
      return false;
    }
  },
};

const EEPROM_ARGS: KeyRow[] = [{ key: 'raw', kind: 'bool' }, { key: 'offset', kind: 'u32' }, { key: 'length', kind: 'u32' }];

export function eeprom(ctx: Ctx): number {
  const { out, dev } = ctx;
  const opt = parseKeyValues(ctx.args, EEPROM_ARGS);
  if (!opt) return badArgs(out);
  const info = ops.getStruct(dev, S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
  if (!info.ok) {
    out.perror('Cannot get driver information', info.errno);
    return 74;
  }
  const total = info.v.eedump_len;
  const offset = (opt.get('offset') as number | undefined) ?? 0;
  let length = opt.has('length') ? (opt.get('length') as number) : total;
  if (total < ((offset + length) >>> 0)) length = (total - offset) >>> 0;
  // When offset + length wraps around in u32 (an offset past the end makes the length wrap)
  // the kernel refuses before copying anything — EOPNOTSUPP without an EEPROM, else EINVAL —
  // so such a request goes out with room for the header only, not a 4 GiB buffer.
  const headerOnly = offset + length > 0xffffffff && length > 1 << 20;
  // ethtool callocs header + length bytes first; a wrapped length asks for ~4 GiB, which
  // fails on a machine with less memory (75), else the kernel refuses the request (74).
  if (memory.callocFails(S.ethtool_eeprom.size + length)) {
    out.perror('Cannot allocate memory for EEPROM data', ERRNO.ENOMEM);
    return 75;
  }
  const got = ops.getEeprom(dev, offset, length, headerOnly ? 0 : length);
  if (!got.ok) {
    out.perror('Cannot get EEPROM data', got.errno);
    return 74;
  }
  const { magic, offset: gotOff, data } = got.v;
  if (opt.get('raw') === true) out.print(data);
  else out.print(hexDump(data, gotOff));
  out.object({ ifname: ctx.devname, magic, offset: gotOff, length: data.length, data: hex(data) });
  return 0;
}
