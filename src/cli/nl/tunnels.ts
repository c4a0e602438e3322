/**
 * --show-tunnels (netlink only; ethtool 6.1's netlink/tunnels.c): the NIC's UDP tunnel port
 * tables, TUNNEL_INFO_GET. ethtool has no JSON for it; ethkit's is in docs/json.md.
 */
import type { Reply } from '../../ethtool/netlink/client';
import type { Attrs } from '../../ethtool/netlink/attrs';
import { Bitset } from '../../ethtool/netlink/bitset';
import { ETH_SS } from '../../ethtool/netlink/constants';
import type { JsonValue } from '../json';
import { NL_FALLBACK, NlCtx, cmdCheck, devOk, getRequest, isDump, replyDev, unexpectedParam } from './cmd';
import { globalSet } from './stats';

/** One table's text and JSON; null after ethtool's "malformed" message. */
function table(c: NlCtx, t: Attrs, strings: () => string[]): { text: string; json: JsonValue } | null {
  let text = '';
  if (typeof t.size !== 'number') {
    c.out.err('malformed netlink message (table size)\n');
    return null;
  }
  text += `    Size: ${t.size | 0}\n`;
  const types = t.types;
  if (!(types instanceof Bitset)) {
    c.out.print(text);
    c.out.err('malformed netlink message (types)\n');
    return null;
  }
  const typeNames: string[] = [];
  const set = types.maskIndices().filter(i => types.test(i));
  if (set.length === 0) text += '    Types: none (static entries)\n';
  else {
    const labels = types.names ? undefined : strings();
    text += '    Types:';
    set.forEach((i, k) => {
      const name = types.nameOf(i, labels);
      const shown = name ?? `bit${i}`;
      text += `${k ? ',' : ''} ${shown}`;
      typeNames.push(shown);
    });
    text += '\n';
  }
  const entries = (t.entry as Attrs[] | undefined) ?? [];
  const jsonEntries: JsonValue[] = [];
  if (entries.length === 0) text += '    No entries\n';
  else {
    text += `    Entries (${entries.length}):\n`;
    for (const e of entries) {
      const names = strings();
      if (typeof e.port !== 'number') { c.out.print(text); c.out.err('malformed netlink message (port)\n'); return null; }
      if (typeof e.type !== 'number') { c.out.print(text); c.out.err('malformed netlink message (tunnel type)\n'); return null; }
      const type = names[e.type >>> 0] ?? '(null)';
      text += `        port ${e.port}, ${type}\n`;
      jsonEntries.push({ port: e.port, type });
    }
  }
  return { text, json: { size: t.size >>> 0, types: typeNames, entries: jsonEntries } };
}

/** tunnel_info_reply_cb: one device's tunnel tables. */
export function tunnelsReply(c: NlCtx, r: Reply): boolean {
  const silent = isDump(c);
  const dev = replyDev(r);
  if (!devOk(c, dev)) return silent;
  c.out.print(`Tunnel information for ${dev}:\n`);
  let loaded: string[] | null = null;
  const strings = (): string[] => (loaded ??= globalSet(c, ETH_SS.UDP_TUNNEL_TYPES));
  const tables: JsonValue[] = [];
  const udp = r.attrs.udp_ports as Attrs | undefined;
  const list = (udp?.table as Attrs[] | undefined) ?? [];
  for (let i = 0; i < list.length; i++) {
    c.out.print(`  UDP port table ${i}: \n`);
    const t = table(c, list[i], strings);
    if (!t) return silent;
    c.out.print(t.text);
    tables.push(t.json);
  }
  c.out.object({ ifname: dev, 'udp-port-tables': tables });
  return true;
}

/** --show-tunnels DEV: nl_gtunnels. */
export function show(c: NlCtx): number {
  if (cmdCheck(c, 'TUNNEL_INFO_GET', true)) return NL_FALLBACK;
  const bad = unexpectedParam(c);
  if (bad !== null) return bad;
  return getRequest(c, 'TUNNEL_INFO_GET', r => tunnelsReply(c, r));
}
