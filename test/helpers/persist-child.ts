/**
 * Child-process runner for persistence tests on a veth inside a network namespace:
 *
 *   ip netns exec NS node persist-child.js IFNAME BUS ARGS...
 *
 * runs `ethkit ARGS...` (the persistence commands, in-process) on the machine's devices and
 * files, except that interface IFNAME is shown as hanging off PCI function BUS: a veth has no
 * bus device, and --persist refuses a device that nothing makes appear again. Everything else
 * (the ethtool requests, /proc and /sys, the snapshot store, the locks) is the kernel's.
 * Prints what the command prints; exits with its code. Without arguments it does nothing.
 */
import { RealFs } from '../../src/common/hostfs';
import { openTransport } from '../../src/ethtool/transport';
import { run } from '../../src/profiles/persist-cli';
import { netlinkCapabilities } from '../../src/profiles/cli';

/** The real files, with IFNAME's device links pointing at a PCI function. */
class OnPci extends RealFs {
  constructor(private readonly dev: string, private readonly bus: string) { super(); }
  override readlink(p: string): string | null {
    if (p === `/sys/class/net/${this.dev}`) return `../../devices/pci0000:00/${this.bus}/net/${this.dev}`;
    if (p === `/sys/class/net/${this.dev}/device`) return `../../../${this.bus}`;
    if (p === `/sys/devices/pci0000:00/${this.bus}/subsystem`) return '../../../bus/pci';
    return super.readlink(p);
  }
}

async function main(): Promise<void> {
  const [dev, bus, ...argv] = process.argv.slice(2);
  if (!dev || !bus) return;
  const code = await run(argv, {
    env: { transport: openTransport(), fs: new OnPci(dev, bus), probe: netlinkCapabilities },
    out: t => process.stdout.write(t), err: t => process.stderr.write(t), vars: process.env,
  });
  process.exitCode = code;
}

void main();
