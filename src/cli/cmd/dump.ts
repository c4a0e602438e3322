/** -d (register dump) and -e (EEPROM dump): raw bytes or ethtool's generic hex layout. */
import type { Ctx } from '../run';
import { badArgs } from '../run';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import { request } from '../../ethtool/layout';
import { view } from '../dev';
import { parseKeyValues, KeyRow } from '../parse';
import { strerror } from '../../ffi/strerror';

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
  const info = dev.get<Record<string, number> & { driver: string }>(S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
  if (!info.ok) {
    out.perror('Cannot get driver information', info.errno);
    return 72;
  }
  const R = S.ethtool_regs;
  const want = info.v.regdump_len;
  const buf = request(R, ETHTOOL.GREGS, want);
  view(buf).setUint32(8, want, true);
  const r = dev.ioctl(buf);
  if (r < 0) {
    out.perror('Cannot get register dump', -r);
    return 74;
  }
  const version = view(buf).getUint32(4, true);
  let data = buf.subarray(R.flex!.offset, R.flex!.offset + Math.min(view(buf).getUint32(8, true), want));
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
        driver: info.v.driver, version, data, drvVersion: (info.v as unknown as { version: string }).version,
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

const ENOMEM = 12;

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
  const info = dev.get(S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
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
    out.perror('Cannot allocate memory for EEPROM data', ENOMEM);
    return 75;
  }
  const P = S.ethtool_eeprom;
  const buf = request(P, ETHTOOL.GEEPROM, headerOnly ? 0 : length);
  const dv = view(buf);
  dv.setUint32(8, offset, true);
  dv.setUint32(12, length, true);
  const r = dev.ioctl(buf);
  if (r < 0) {
    out.perror('Cannot get EEPROM data', -r);
    return 74;
  }
  const gotOff = dv.getUint32(8, true);
  const data = buf.subarray(P.flex!.offset, P.flex!.offset + Math.min(dv.getUint32(12, true), buf.length - P.flex!.offset));
  if (opt.get('raw') === true) out.print(data);
  else out.print(hexDump(data, gotOff));
  out.object({ ifname: ctx.devname, magic: dv.getUint32(4, true), offset: gotOff, length: data.length, data: hex(data) });
  return 0;
}
