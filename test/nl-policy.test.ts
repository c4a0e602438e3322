/**
 * CTRL_CMD_GETPOLICY through the client: the request ethtool 6.1 sends for one op, the walk
 * from the op's policy to the header's FLAGS mask, ethtool's complaints, errors, and the cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EthtoolNetlink, POLICY_PROBLEM } from '../src/ethtool/netlink';
import { ScriptedNetlink, ackOf, errorOf, NlStep } from './helpers/nl-scripted';
import * as B from './helpers/nl-bytes';
import * as FX from './helpers/nl-fixtures';

const { nest, u16, u32 } = B;
const FAM = 21;
const ctrl = (...a: Uint8Array[]): Uint8Array => B.nlmsg({ type: 0x10, flags: 2 }, B.genl(10, 1, u16(1, FAM), ...a));
const opMap = (op: number, doIdx: number, dumpIdx: number): Uint8Array => ctrl(nest(9, nest(op, u32(1, doIdx), u32(2, dumpIdx))));
const attr = (policy: number, a: number, ...p: Uint8Array[]): Uint8Array => ctrl(nest(8, nest(policy, nest(a, ...p))));
const getPolicy = (op: number): Uint8Array => B.nlmsg({ type: 0x10, flags: 0x305 }, B.genl(10, 1, u16(1, FAM), u32(10, op)));

function client(steps: NlStep[]): { nl: EthtoolNetlink; t: ScriptedNetlink } {
  const t = new ScriptedNetlink([{ note: 'family', replies: [FX.FAMILY_REPLY, ackOf] }, ...steps]);
  return { nl: EthtoolNetlink.open({ transport: t, timeoutMs: 200 }), t };
}

test('GETPOLICY for PAUSE_GET: dump request with family id and op; DO policy -> header policy -> FLAGS mask', () => {
  const { nl, t } = client([{
    request: getPolicy(21),
    replies: [B.datagram(opMap(21, 3, 4), attr(3, 1, u32(1, 13), u32(8, 2)), attr(4, 1, u32(1, 13), u32(8, 9)),
      attr(2, 3, u32(1, 4), B.u64(12, 7n)), attr(9, 3, u32(1, 4), B.u64(12, 1n))), B.done({})],
  }]);
  assert.equal(nl.hasPolicy('PAUSE_GET'), true);
  const p = nl.headerFlagsPolicy('PAUSE_GET');
  assert.deepEqual(p, { mask: 7n, problem: null, error: 0, extack: null });
  assert.equal(nl.headerFlagsPolicy('PAUSE_GET'), p, 'asked once');
  t.assertDone();
});

test('GETPOLICY: the DUMP policy when asked for it', () => {
  const { nl, t } = client([{
    request: getPolicy(29),
    replies: [B.datagram(opMap(29, 3, 4), attr(4, 1, u32(1, 13), u32(8, 9)), attr(9, 3, u32(1, 4), B.u64(12, 5n))), B.done({})],
  }]);
  assert.equal(nl.headerFlagsPolicy('FEC_GET', { dump: true }).mask, 5n);
  t.assertDone();
});

test('GETPOLICY: ethtool\'s complaints end the walk with no mask', () => {
  const cases: [Uint8Array[], string][] = [
    [[attr(0, 1, u32(1, 13))], POLICY_PROBLEM.NO_OP_MAP],
    [[opMap(29, 0, 0), attr(0, 1, u32(1, 13))], POLICY_PROBLEM.NO_HEADER_INDEX],
    [[opMap(29, 0, 0), attr(0, 1, u32(1, 13), u32(8, 1)), attr(1, 3, u32(1, 4))], POLICY_PROBLEM.NO_MASK],
  ];
  for (const [msgs, problem] of cases) {
    const { nl } = client([{ replies: [B.datagram(...msgs), B.done({})] }]);
    const p = nl.headerFlagsPolicy('FEC_GET');
    assert.equal(p.problem, problem);
    assert.equal(p.mask, 0n);
  }
});

test('GETPOLICY: a kernel error is returned with its extack', () => {
  const { nl } = client([{ replies: [errorOf(95, [B.str(1, 'no policy')])] }]);
  const p = nl.headerFlagsPolicy('FEC_GET');
  assert.equal(p.error, -95);
  assert.equal(p.extack?.message, 'no policy');
  assert.equal(p.mask, 0n);
});
