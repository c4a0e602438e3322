/** -w/--get-dump [data FILE] and -W/--set-dump N: the firmware dump (GET_DUMP_FLAG, GET_DUMP_DATA, SET_DUMP). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as fw from '../../ethtool/firmware';
import { parseUnsigned } from '../../common/numbers';
import { strerror } from '../../ethtool/errno';

/** -w: the dump's flag, version and length; with `data FILE` the dump itself, written to FILE. */
export function get(ctx: Ctx): number {
  const { out, args } = ctx;
  let file: string | null = null;
  if (args.length === 2 && args[0] === 'data') file = args[1];
  else if (args.length !== 0) return badArgs(out);
  const flag = fw.getDumpFlag(ctx.dev);
  if (!flag.ok) {
    out.perror('Can not get dump level', flag.errno);
    return 1;
  }
  const { flag: f, version, len } = flag.v;
  if (file === null) {
    out.print(`flag: ${f}, version: ${version}, length: ${len}\n`);
    out.object({ ifname: ctx.devname, flag: f, version, length: len });
    return 0;
  }
  const got = fw.getDumpData(ctx.dev, len);
  if (!got.ok) {
    out.perror('Can not get dump data', got.errno);
    return 1;
  }
  const written = writeDump(ctx, file, got.v.data);
  if (written !== 0) return written;
  out.object({ ifname: ctx.devname, flag: got.v.flag, version: got.v.version, length: got.v.data.length, file });
  return 0;
}

/** do_writefwdump: fopen(FILE, "wb+"), the data, fclose; 1 on any failure. */
function writeDump(ctx: Ctx, file: string, data: Uint8Array): number {
  const fs = require('node:fs') as typeof import('node:fs');
  const { out } = ctx;
  let fd: number;
  try {
    fd = fs.openSync(file, 'w+', 0o666);
  } catch (e) {
    const msg = `Can't open file ${file}: ${strerror(Math.abs((e as NodeJS.ErrnoException).errno ?? 0))}`;
    out.error(msg, msg + '\n');
    return 1;
  }
  let code = 0;
  try {
    let at = 0;
    while (at < data.length) at += fs.writeSync(fd, data, at, data.length - at);
  } catch {
    out.err('Can not write all of dump data\n');
    code = 1;
  }
  try {
    fs.closeSync(fd);
  } catch (e) {
    out.err(`Can't close file ${file}: ${strerror(Math.abs((e as NodeJS.ErrnoException).errno ?? 0))}\n`);
    code = 1;
  }
  return code;
}

/** -W N: the dump level (a u32, driver-defined). */
export function set(ctx: Ctx): number {
  const { out, args } = ctx;
  if (args.length !== 1) return badArgs(out);
  const flag = parseUnsigned(args[0], 0xffffffff);
  if (flag === null) return badArgs(out);
  const r = fw.setDump(ctx.dev, flag);
  if (r < 0) {
    out.perror('Can not set dump level', -r);
    return 1;
  }
  out.object({ ifname: ctx.devname, flag });
  return 0;
}
