/**
 * -f/--flash FILE [REGION]: FLASHDEV. The kernel's firmware loader finds FILE (relative to its
 * firmware directory, /lib/firmware); ethtool checks only the name's length, and so does this.
 */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import * as fw from '../../ethtool/firmware';
import { strtolPrefix } from '../../common/numbers';

export function flash(ctx: Ctx): number {
  const { out, args } = ctx;
  if (args.length < 1 || args.length > 2) return badArgs(out);
  const file = args[0];
  let region: number | null = null;
  if (args.length === 2) {
    // strtol without an end check, into an int: "abc" is region 0, 2^32 wraps to 0, 2^31 is negative.
    region = Number(BigInt.asIntN(32, strtolPrefix(args[1])));
    if (region < 0) return badArgs(out);
  }
  if (Buffer.byteLength(file) > fw.FLASH_NAME_MAX) {
    out.print('Filename too long\n');
    out.fail('Filename too long');
    return 99;
  }
  const r = fw.flash(ctx.dev, file, region);
  if (r < 0) {
    out.perror('Flashing failed', -r);
    return 255;
  }
  out.object({ ifname: ctx.devname, file, region });
  return r & 0xff;
}
