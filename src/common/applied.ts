/**
 * What the last applied profile aims at for a device's queue IRQs, read from the profiles'
 * snapshot store (docs/profiles.md): STATE_DIR/snapshots/net-INODE/DEV/NNNNNN.json, the
 * highest number being the last apply; its entry's `intent` maps /proc/irq/N/smp_affinity_list to a
 * CPU list. Read only; null when nothing was applied (or the entry predates `intent`).
 */
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_STATE_DIR = '/var/lib/ethkit';

/** IRQ number → CPU list the applied profile set, for `dev` in the current network namespace. */
export function appliedIrqIntent(dev: string, stateDir = process.env.ETHKIT_STATE_DIR || DEFAULT_STATE_DIR): { profile: string; irqs: Map<number, string> } | null {
  let ns: string;
  try { ns = /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/net'))?.[1] ?? ''; } catch { return null; }
  const dir = path.join(stateDir, 'snapshots', `net-${ns}`, dev);
  let files: string[];
  try { files = fs.readdirSync(dir).filter(f => /^\d+\.json$/.test(f)).sort(); } catch { return null; }
  const top = files[files.length - 1];
  if (!top) return null;
  try {
    // An entry file is { version, seq, entry: SnapshotEntry } (src/profiles/snapshot.ts).
    const e = (JSON.parse(fs.readFileSync(path.join(dir, top), 'utf8')) as { entry?: { profile?: string; intent?: Record<string, string> } }).entry ?? {};
    if (!e.intent) return null;
    const irqs = new Map<number, string>();
    for (const [p, v] of Object.entries(e.intent)) { const m = /^\/proc\/irq\/(\d+)\/smp_affinity_list$/.exec(p); if (m) irqs.set(Number(m[1]), v); }
    return { profile: e.profile ?? '?', irqs };
  } catch { return null; }
}
