/**
 * --show-module / --set-module (netlink only; ethtool 6.1's netlink/module.c): the transceiver
 * module's power mode policy and power mode, MODULE_GET / MODULE_SET.
 *
 * moduleReply() prints one MODULE_GET_REPLY or MODULE_NTF (the monitor's too).
 */
import type { Reply } from '../../ethtool/netlink/client';
import { MODULE_POWER_MODE, MODULE_POWER_MODE_POLICY } from '../../ethtool/netlink/catalog';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, setRequest, unexpectedParam } from './cmd';
import { Param, lookup, parse } from './parser';

const POLICY = MODULE_POWER_MODE_POLICY.values;
const MODE = MODULE_POWER_MODE.values;

export function powerModePolicyName(v: number): string {
  return v === POLICY.HIGH ? 'high' : v === POLICY.AUTO ? 'auto' : 'unknown';
}

export function powerModeName(v: number): string {
  return v === MODE.LOW ? 'low' : v === MODE.HIGH ? 'high' : 'unknown';
}

/** module_reply_cb: one device's module parameters. */
export function moduleReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c) || c.st.isMonitor;
  const dev = replyDev(r);
  if (!devOk(c, dev)) return silent;
  const p = c.p;
  if (silent) p.nl();
  p.openObject(null);
  p.field('ifname', `Module parameters for ${dev}:\n`, dev);
  const a = r.attrs;
  if (typeof a.power_mode_policy === 'number') {
    const v = powerModePolicyName(a.power_mode_policy);
    p.field('power-mode-policy', `power-mode-policy: ${v}\n`, v);
  }
  if (typeof a.power_mode === 'number') {
    const v = powerModeName(a.power_mode);
    p.field('power-mode', `power-mode: ${v}\n`, v);
  }
  p.closeObject();
  return true;
}

/** --show-module DEV: nl_gmodule. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'MODULE_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  c.out.alwaysDocument();
  return getRequest(c, 'MODULE_GET', r => moduleReply(c, r));
}

const PARAMS: readonly Param[] = [
  { arg: 'power-mode-policy', attr: 'power_mode_policy', handler: lookup({ high: POLICY.HIGH, auto: POLICY.AUTO }), minArgc: 1 },
];

/** --set-module DEV power-mode-policy high|auto: nl_smodule. */
export function set(c: NlCtx): number {
  if (cmdCheck(c, 'MODULE_SET', false)) return NL_FALLBACK;
  if (c.args.length === 0) {
    c.out.err('ethtool (--set-module): parameters missing\n');
    c.out.fail('parameters missing');
    return 1;
  }
  const parsed = parse(c, '--set-module', PARAMS);
  if (!parsed) return 1;
  const code = setRequest(c, 'MODULE_SET', parsed.attrs, 83);
  if (code === 0) {
    const v = parsed.attrs.power_mode_policy;
    c.out.object({ ifname: c.devname, ...(typeof v === 'number' ? { 'power-mode-policy': powerModePolicyName(v) } : {}) });
  }
  return code;
}
