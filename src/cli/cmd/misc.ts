/** -i (driver information), -P (permanent address), -r (restart autoneg), -p (identify). */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as S from '../../ethtool/structs';
import { ETHTOOL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import { parseInt32 } from '../../common/numbers';
import type { JsonValue } from '../json';

/** -i lines: label (also the JSON name), drvinfo member, and how it is shown. */
const DRIVER_ROWS: readonly { label: string; field: string; kind: 'string' | 'yesno' }[] = [
  { label: 'driver', field: 'driver', kind: 'string' },
  { label: 'version', field: 'version', kind: 'string' },
  { label: 'firmware-version', field: 'fw_version', kind: 'string' },
  { label: 'expansion-rom-version', field: 'erom_version', kind: 'string' },
  { label: 'bus-info', field: 'bus_info', kind: 'string' },
  { label: 'supports-statistics', field: 'n_stats', kind: 'yesno' },
  { label: 'supports-test', field: 'testinfo_len', kind: 'yesno' },
  { label: 'supports-eeprom-access', field: 'eedump_len', kind: 'yesno' },
  { label: 'supports-register-dump', field: 'regdump_len', kind: 'yesno' },
  { label: 'supports-priv-flags', field: 'n_priv_flags', kind: 'yesno' },
];

export function driver(ctx: Ctx): number {
  const got = ops.getStruct<Record<string, string | number>>(ctx.dev, S.ethtool_drvinfo, ETHTOOL.GDRVINFO);
  if (!got.ok) {
    ctx.out.perror('Cannot get driver information', got.errno);
    return 71;
  }
  const json: Record<string, JsonValue> = { ifname: ctx.devname };
  let text = '';
  for (const row of DRIVER_ROWS) {
    const v = got.v[row.field];
    if (row.kind === 'string') {
      text += `${row.label}: ${v}\n`;
      json[row.label] = String(v);
    } else {
      text += `${row.label}: ${v ? 'yes' : 'no'}\n`;
      json[row.label] = v !== 0;
    }
  }
  ctx.out.print(text);
  ctx.out.object(json);
  return 0;
}

/** -P: any arguments after the device name are ignored, as ethtool does. */
export function permaddr(ctx: Ctx): number {
  const got = ops.getPermAddr(ctx.dev);
  if (!got.ok) {
    ctx.out.perror('Cannot read permanent address', got.errno);
    return 255;
  }
  const bytes = Array.from(got.v, x => x.toString(16).padStart(2, '0'));
  ctx.out.print('Permanent address:' + bytes.map((x, i) => (i === 0 ? ' ' : ':') + x).join('') + '\n');
  ctx.out.object({ ifname: ctx.devname, 'permanent-address': bytes.join(':') });
  return 0;
}

export function negotiate(ctx: Ctx): number {
  const { r } = ops.value(ctx.dev, ETHTOOL.NWAY_RST);
  if (r < 0) {
    ctx.out.perror('Cannot restart autonegotiation', -r);
    return 255;
  }
  ctx.out.object({ ifname: ctx.devname });
  return 0;
}

/** -p [N]: blink for N seconds (0: until interrupted). Blocks like ethtool; ^C ends it. */
export function identify(ctx: Ctx): number {
  if (ctx.args.length > 1) return badArgs(ctx.out);
  let seconds = 0;
  if (ctx.args.length === 1) {
    const v = parseInt32(ctx.args[0], 0);
    if (v === null) return badArgs(ctx.out);
    seconds = v;
  }
  const { r } = ops.value(ctx.dev, ETHTOOL.PHYS_ID, seconds >>> 0);
  if (r < 0) {
    ctx.out.perror('Cannot identify NIC', -r);
    return 255;
  }
  ctx.out.object({ ifname: ctx.devname, seconds: seconds >>> 0 });
  return 0;
}
