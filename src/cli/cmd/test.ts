/** -t [online|offline|external_lb]: adapter self-test. Exit 2 when the driver reports FAIL. */
import type { Ctx } from '../run';
import { badArgs } from '../run';
import * as S from '../../ethtool/structs';
import { ETHTOOL, ETH_SS, ETH_TEST_FL } from '../../ethtool/constants';
import { request } from '../../ethtool/layout';
import { view } from '../dev';

const MODES: Record<string, number> = {
  offline: ETH_TEST_FL.OFFLINE,
  online: 0,
  external_lb: ETH_TEST_FL.OFFLINE | ETH_TEST_FL.EXTERNAL_LB,
};

export function run(ctx: Ctx): number {
  const { out } = ctx;
  if (ctx.args.length > 1) return badArgs(out);
  const mode = ctx.args[0] ?? 'offline';
  if (!(mode in MODES)) return badArgs(out);

  const names = ctx.dev.stringSet(ETH_SS.TEST, 'testinfo_len', true);
  if (!names.ok) {
    out.perror('Cannot get strings', names.errno);
    return 74;
  }
  const n = names.names.length;
  const T = S.ethtool_test;
  const buf = request(T, ETHTOOL.TEST, 8 * n);
  const dv = view(buf);
  dv.setUint32(4, MODES[mode], true);
  dv.setUint32(12, n, true);
  const r = ctx.dev.ioctl(buf);
  if (r < 0) {
    out.perror('Cannot test', -r);
    return 74;
  }
  const flags = dv.getUint32(4, true);
  const failed = flags & ETH_TEST_FL.FAILED;
  let text = `The test result is ${failed ? 'FAIL' : 'PASS'}\n`;
  const json: Record<string, import('../json').JsonValue> = { ifname: ctx.devname, mode, result: failed ? 'FAIL' : 'PASS' };
  if (flags & ETH_TEST_FL.EXTERNAL_LB) {
    const done = (flags & ETH_TEST_FL.EXTERNAL_LB_DONE) !== 0;
    text += `External loopback test was ${done ? '' : 'not '}executed\n`;
    json['external-loopback-executed'] = done;
  }
  if (n) text += 'The test extra info:\n';
  const tests: import('../json').JsonValue[] = [];
  for (let i = 0; i < n; i++) {
    const v = dv.getInt32(T.flex!.offset + 8 * i, true); // low 32 bits, printed as a signed int
    text += `${names.names[i]}\t ${v}\n`;
    tests.push({ name: names.names[i], value: v });
  }
  json.tests = tests;
  out.print(text + '\n');
  out.object(json);
  if (failed) out.fail('The test result is FAIL');
  return failed;
}
