/**
 * -E/--change-eeprom [magic N] [offset N] [length N] [value N]: SEEPROM of one byte (value) or
 * of `length` bytes read from standard input (exactly that many: fewer or more is refused).
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import { ERRNO } from '../../ethtool/errno';
import * as ops from '../../ethtool/ops';
import * as fw from '../../ethtool/firmware';
import { parseKeyValues, KeyRow } from '../parse';
import { memory } from './dump';

const ARGS: KeyRow[] = [{ key: 'magic', kind: 'u32' }, { key: 'offset', kind: 'u32' }, { key: 'length', kind: 'u32' }, { key: 'value', kind: 'u8' }];

export function change(ctx: Ctx): number {
  const { out, dev } = ctx;
  const opt = parseKeyValues(ctx.args, ARGS);
  if (!opt) return badArgs(out);
  const info = ops.getStruct(dev, S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
  if (!info.ok) {
    out.perror('Cannot get driver information', info.errno);
    return 74;
  }
  const total = info.v.eedump_len >>> 0;
  const magic = (opt.get('magic') as number | undefined) ?? 0;
  const offset = (opt.get('offset') as number | undefined) ?? 0;
  const value = opt.get('value') as number | undefined;
  let length = opt.get('length') as number | undefined;
  if (length === undefined) length = value !== undefined ? 1 : total;
  if (value !== undefined && length !== 1) {
    out.error('value requires length 1');
    return 1;
  }
  // ethtool adds the two as u32s: an offset near 2^32 wraps around and passes.
  if (total < ((offset + length) >>> 0)) {
    out.error('offset & length out of bounds');
    return 1;
  }
  if (memory.callocFails(S.ethtool_eeprom.size + length)) {
    out.perror('Cannot allocate memory for EEPROM data', ERRNO.ENOMEM);
    return 75;
  }
  // A request whose offset + length wraps is refused by the kernel before it copies any data:
  // its bytes are counted from stdin as ethtool reads them, but not kept.
  const wraps = offset + length > 0xffffffff && length > 1 << 20;
  let data: Uint8Array;
  if (value !== undefined) data = Uint8Array.of(value);
  else {
    // fread(len, 1) then one fgetc that must find the end; fread of 0 bytes reads nothing and fails.
    const got = length === 0 ? { data: new Uint8Array(0), n: 0 } : (ctx.stdin?.(length + 1, !wraps) ?? { data: new Uint8Array(0), n: 0 });
    if (length === 0 || got.n < length) {
      out.error('not enough data from stdin');
      return 75;
    }
    if (got.n > length) {
      out.error('too much data from stdin');
      return 75;
    }
    data = got.data;
  }
  const r = fw.setEeprom(dev, magic, offset, wraps ? new Uint8Array(0) : data, length);
  if (r < 0) {
    out.perror('Cannot set EEPROM data', -r);
    return 87;
  }
  out.object({ ifname: ctx.devname, magic, offset, length });
  return 0;
}
