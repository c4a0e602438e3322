/** -m (ioctl path, do_getmodule): GMODULEINFO, then GMODULEEEPROM; decode, hex or raw. */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import * as ops from '../../ethtool/ops';
import { ERRNO } from '../../ethtool/errno';
import { parseKeyValues, KeyRow } from '../parse';
import { hexDump, memory } from './dump';
import type { JsonValue } from '../json';

const ARGS: KeyRow[] = [
  { key: 'offset', kind: 'u32' }, { key: 'length', kind: 'u32' }, { key: 'raw', kind: 'bool' }, { key: 'hex', kind: 'bool' },
];

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

export function getmodule(ctx: Ctx): number {
  const { out, dev } = ctx;
  const opt = parseKeyValues(ctx.args, ARGS);
  if (!opt) return badArgs(out);
  const raw = opt.get('raw') === true;
  let hexOn = opt.get('hex') === true;
  if (raw && hexOn) {
    out.print('Hex and raw dump cannot be specified together\n');
    out.fail('Hex and raw dump cannot be specified together');
    return 1;
  }
  const info = ops.getModuleInfo(dev);
  if (!info.ok) {
    out.perror('Cannot get module EEPROM information', info.errno);
    return 1;
  }
  const total = info.v.eeprom_len;
  const offset = (opt.get('offset') as number | undefined) ?? 0;
  let length = opt.has('length') ? (opt.get('length') as number) : total;
  if (total < ((offset + length) >>> 0)) length = (total - offset) >>> 0;
  if (memory.callocFails(S.ethtool_eeprom.size + length)) {
    out.perror('Cannot allocate memory for Module EEPROM data', ERRNO.ENOMEM);
    return 1;
  }
  // A length that wrapped past 4 GiB is refused by the kernel before any copy: send the header only.
  const headerOnly = offset + length > 0xffffffff && length > 1 << 20;
  const got = ops.getModuleEeprom(dev, offset, length, headerOnly ? 0 : length);
  if (!got.ok) {
    out.perror('Cannot get Module EEPROM data', got.errno);
    if (got.errno === ERRNO.ENODEV || got.errno === ERRNO.EIO || got.errno === ERRNO.ENXIO) out.err('SFP module not in cage?\n');
    return 1;
  }
  const { data, offset: gotOff } = got.v;
  const json: Record<string, JsonValue> = { ifname: ctx.devname, type: info.v.type, 'eeprom-length': total };
  if (raw) {
    out.print(data);
    out.object({ ...json, offset: gotOff, length: data.length, data: hex(data) });
    return 0;
  }
  let decoded = null;
  if (gotOff !== 0 || data.length !== total) hexOn = true;
  else if (!hexOn) {
    const { decodeBlob } = require('../module') as typeof import('../module');
    decoded = decodeBlob(info.v.type, data, total);
    if (!decoded) hexOn = true;
  }
  if (decoded) {
    out.print(decoded.toString());
    out.object({ ...json, fields: decoded.fields().map(f => ({ name: f.name, value: f.value })) });
  } else {
    out.print(hexDump(data, gotOff));
    out.object({ ...json, offset: gotOff, length: data.length, data: hex(data) });
  }
  return 0;
}
