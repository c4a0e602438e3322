/**
 * Register-dump pretty printers, one module per driver family (as ethtool has them), loaded
 * only when `-d` meets that driver. A printer returns the text ethtool prints for the dump, or
 * null when it does not recognise the dump (ethtool then falls back to the generic hex dump).
 */
export interface RegsDump {
  /** ethtool_drvinfo.driver */
  driver: string;
  /** ethtool_regs.version, as the driver filled it in */
  version: number;
  /** ethtool_regs.data */
  data: Uint8Array;
  /** ethtool_drvinfo.version (some printers show it) */
  drvVersion?: string;
}

export type RegsPrinter = (dump: RegsDump) => string | null;

/** driver name → printer module in this folder. */
const MODULES: Record<string, string> = {
  e1000: 'e1000', e1000e: 'e1000',
  '8139cp': 'realtek', '8139too': 'realtek', r8169: 'realtek',
  pcnet32: 'pcnet32',
  vmxnet3: 'vmxnet3',
  e100: 'e100',
};

/** The pretty text for `dump`, or null when ethkit has no printer for it. */
export function prettyRegs(dump: RegsDump): string | null {
  const mod = MODULES[dump.driver];
  if (!mod) return null;
  let print: RegsPrinter;
  try {
    print = (require(`./${mod}`) as { print: RegsPrinter }).print;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return null;
    throw e;
  }
  return print(dump);
}
