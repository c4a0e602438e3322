/** Global string sets through the client: asked once per set, or all at once (the monitor's preload). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EthtoolNetlink } from '../src/ethtool/netlink';
import { ScriptedNetlink, ackOf } from './helpers/nl-scripted';
import * as B from './helpers/nl-bytes';
import * as FX from './helpers/nl-fixtures';
import { strsetReply, strsetStep } from './helpers/nl-cli';

test('globalStringSet: one STRSET_GET per set, then the cache', () => {
  const t = new ScriptedNetlink([{ note: 'family', replies: [FX.FAMILY_REPLY, ackOf] }, strsetStep(16, ['eth-phy', 'eth-mac'])]);
  const nl = EthtoolNetlink.open({ transport: t, timeoutMs: 200 });
  assert.deepEqual(nl.globalStringSet(16), ['eth-phy', 'eth-mac']);
  assert.deepEqual(nl.globalStringSet(16), ['eth-phy', 'eth-mac']);
  t.assertDone();
});

test('preloadGlobalStringSets: every set from one request without a set list', () => {
  const both = B.datagram(strsetReply(4, ['rx-gro']));
  const t = new ScriptedNetlink([
    { note: 'family', replies: [FX.FAMILY_REPLY, ackOf] },
    { request: B.nlmsg({ type: 21, flags: 5 }, B.genl(1, 1, B.nest(1))), replies: [both, ackOf] },
  ]);
  const nl = EthtoolNetlink.open({ transport: t, timeoutMs: 200 });
  nl.preloadGlobalStringSets();
  assert.deepEqual(nl.globalStringSet(4), ['rx-gro']);
  assert.deepEqual(nl.bitNames('FEATURES_GET', 'active'), ['rx-gro']);
  t.assertDone();
});
