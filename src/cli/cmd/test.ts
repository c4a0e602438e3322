/** -t [online|offline|external_lb]: adapter self-test. Exit 2 when the driver reports FAIL. */
import type { Ctx } from '../ctx';
import { badArgs } from '../ctx';
import { ETH_SS, ETH_TEST_FL } from '../../ethtool/constants';
import * as ops from '../../ethtool/ops';
import type { JsonValue } from '../json';


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

  let names: string[];
  let got: ops.Counted<{ flags: number; results: BigUint64Array }>;
  for (let attempt = 0; ; attempt++) {
    const set = ops.stringSet(ctx.dev, ETH_SS.TEST, { fallback: 'testinfo_len', nulTerminate: true });
    if (!set.ok) {
      out.perror('Cannot get strings', set.errno);
      return 74;
    }
    names = set.v;
    got = ops.selfTest(ctx.dev, MODES[mode], names.length);
    if (got.ok || !('moved' in got) || attempt + 1 >= ops.COUNT_ATTEMPTS) break;
  }
  if (!got.ok) {
    out.perror('Cannot test', got.errno);
    return 74;
  }
  const n = names.length;
  const flags = got.v.flags;
  const failed = flags & ETH_TEST_FL.FAILED;
  let text = `The test result is ${failed ? 'FAIL' : 'PASS'}\n`;
  const json: Record<string, JsonValue> = { ifname: ctx.devname, mode, result: failed ? 'FAIL' : 'PASS' };
  if (flags & ETH_TEST_FL.EXTERNAL_LB) {
    const done = (flags & ETH_TEST_FL.EXTERNAL_LB_DONE) !== 0;
    text += `External loopback test was ${done ? '' : 'not '}executed\n`;
    json['external-loopback-executed'] = done;
  }
  if (n) text += 'The test extra info:\n';
  const tests: JsonValue[] = [];
  for (let i = 0; i < n; i++) {
    const v = Number(BigInt.asIntN(32, got.v.results[i])); // low 32 bits, printed as a signed int
    text += `${names[i]}\t ${v}\n`;
    tests.push({ name: names[i], value: v });
  }
  json.tests = tests;
  out.print(text + '\n');
  out.object(json);
  if (failed) out.fail('The test result is FAIL');
  return failed;
}
