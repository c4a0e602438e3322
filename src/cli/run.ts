/**
 * The ethtool front end: a command line after the global flags, in ethtool's grammar and with
 * its ioctl path's behaviour (messages, exit codes, output bytes), plus --json on every command.
 */
import type { Transport } from '../ethtool/transport';
import type { Out } from './out';
import { OPTIONS, OptionRow, REASON, findOption } from './options';
import { Dev } from './dev';
import { badArgs, Ctx } from './ctx';

/**
 * Run `argv[i..]` (the global flags before `i` are the caller's): the exit status. `transport`
 * opens the device seam on first use.
 */
export async function runEthtool(argv: readonly string[], i: number, out: Out, json: boolean, transport: () => Transport): Promise<number> {
  // --monitor needs netlink.
  if (argv[i] === '--monitor') {
    out.error('option --monitor not supported', 'Netlink interface initialization failed, option --monitor not supported.\n');
    return 1;
  }
  if (i >= argv.length) return badArgs(out);

  // The option, or a device name for the settings page.
  let row: OptionRow | undefined = findOption(argv[i]);
  const opt = row ? argv[i] : '';
  if (row) i++;
  else if (argv[i].startsWith('-')) return badArgs(out);
  else row = OPTIONS[0];

  // The device name, taken literally.
  let devname = '';
  if (!row.noDevice) {
    if (i >= argv.length) return badArgs(out);
    devname = argv[i++];
  }
  const args = argv.slice(i);

  // Device-name checks, before any argument parsing or ioctl.
  if (!row.noDevice) {
    const len = Buffer.byteLength(devname);
    if (len >= 128) {
      out.error(`device name longer than 127 characters`, `device name '${devname}' longer than 127 characters\n`);
      return 1;
    }
    if (row.netlinkOnly) {
      out.error('subcommand not supported by ioctl', 'netlink interface initialization failed, subcommand not supported by ioctl\n');
      return 1;
    }
    const reason = REASON[row.nl === 'ioctl-only' && args.length > 0 ? 'nlfail' : row.nl];
    if (devname === '*') {
      out.error('wildcard dump not supported', `${reason}, wildcard dump not supported\n`);
      return 1;
    }
    if (len >= 16) {
      out.error('device name longer than 15 not supported', `${reason}, device name longer than 15 not supported\n`);
      return 1;
    }
  }

  if (row.noArgs && args.length > 0) return badArgs(out);
  if (!row.run) {
    const what = opt || 'this command';
    out.error(`${what} is not implemented by ethkit`, `ethkit: ${what} is not implemented (ethtool's ioctl path has it; ethkit does not yet)\n`);
    return 1;
  }
  const ctx: Ctx = { opt, devname, args, out, json, dev: new Dev(devname, transport), options: OPTIONS };
  return row.run(ctx);
}
