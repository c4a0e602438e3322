/** -h/--help and --version (both ignore further arguments, print to stdout, exit 0). */
import type { Ctx } from '../ctx';
import { COALESCE, keyRows } from './params';

export const VERSION = '0.1.0';
export const COMPATIBLE = 'ethtool 6.1';

/** Text mode answers as the ethtool it replaces (scripts test this line); JSON names ethkit. */
export function version(ctx: Ctx): number {
  ctx.out.print('ethtool version 6.1\n');
  ctx.out.object({ name: 'ethkit', version: VERSION, compatible: COMPATIBLE });
  return 0;
}

export function help(ctx: Ctx): number {
  const lines: string[] = [`ethkit version ${VERSION} (command line of ${COMPATIBLE}, ioctl interface)`, 'Usage:'];
  const json: { options: string[]; description: string; implemented: boolean; arguments: string[] }[] = [];
  for (const row of ctx.options) {
    const opts = row.names.join('|');
    const dev = row.noDevice ? '' : ' DEVNAME';
    const note = row.implemented ? '' : '  (not implemented)';
    lines.push(`        ethkit [ FLAGS ] ${opts}${dev}\t${row.help}${note}`);
    let synopsis = row.synopsis ?? [];
    if (row.names.includes('-C')) synopsis = keyRows(COALESCE).map(r => r.kind === 'bool' ? `[ ${r.key} on|off ]` : `[ ${r.key} N ]`);
    for (const s of synopsis) lines.push(`\t\t${s}`);
    json.push({ options: [...row.names], description: row.help, implemented: row.implemented, arguments: [...synopsis] });
  }
  lines.push(
    '        ethkit [ FLAGS ] --top [ DEVNAME ... ]\tLive per-queue counters (terminal UI)',
    '        ethkit [ FLAGS ] --profile-list | --profile-show NAME | --plan | --apply | --verify | --rollback ...\tTuning profiles',
    '        ethkit --exporter [ DEVNAME ... ] [ --listen [HOST]:PORT | --textfile FILE.prom ] ...\tPrometheus metrics (ethkit --exporter --help)',
    '        ethkit [ FLAGS ] --persist PROFILE DEVNAME ... | --unpersist DEVNAME ... | --persist-status ...\tProfiles re-applied when a device appears (udev + systemd)',
    '        ethkit [ --json ] --batch FILE|- [ --force ]\tRun many command lines (one a line) in one process',
    '',
    'FLAGS:',
    '\t--debug MASK\tturn on debugging messages (accepted, no effect)',
    '\t--json\t\tenable JSON output format (every command; see docs/json.md)',
    '\t-I|--include-statistics\t\tinclude statistics in output (accepted, no effect on the ioctl path)',
    '',
  );
  ctx.out.print(lines.join('\n'));
  ctx.out.object({ name: 'ethkit', version: VERSION, commands: json });
  return 0;
}
