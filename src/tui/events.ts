/**
 * The event line of `--top`: link changes seen between samples (operstate, device gone/back)
 * and ethtool netlink notifications (the "monitor" group: a setting changed, by this or any
 * other program — ethtool -K/-L/-G/-C/-s …), newest last.
 */
import { NicNetlink } from '../device/netlink';

export interface TopEvent {
  /** wall-clock time (ISO) */
  time: string;
  dev: string;
  /** 'link' (operstate, gone/back) or 'netlink' (a monitor notification) */
  source: 'link' | 'netlink';
  /** e.g. "link down (up → down)", "channels changed (CHANNELS_NTF)" */
  text: string;
}

/** CHANNELS_NTF → "channels changed". */
export function notificationText(message: string): string {
  const what = message.replace(/_NTF$/, '').toLowerCase().replace(/_/g, ' ');
  return `${what} changed (${message})`;
}

export class EventLog {
  readonly list: TopEvent[] = [];
  /** Events not yet handed out by takeNew() (one sample's worth). */
  private fresh: TopEvent[] = [];
  constructor(private readonly keep = 100) {}
  push(e: TopEvent): void {
    this.list.push(e);
    this.fresh.push(e);
    if (this.list.length > this.keep) this.list.splice(0, this.list.length - this.keep);
  }
  takeNew(): TopEvent[] { const f = this.fresh; this.fresh = []; return f; }
  get last(): TopEvent | undefined { return this.list[this.list.length - 1]; }
}

/**
 * Listen to the ethtool monitor group for `names` (null: every device); returns a stop
 * function, or null when the kernel/sandbox gives no netlink socket. `onPending` is called
 * with each notification; notifications wait off the main thread.
 */
export function watchNotifications(names: readonly string[] | null, onEvent: (e: TopEvent) => void): (() => void) | null {
  const nic = NicNetlink.open('');
  if (!nic) return null;
  let mon: ReturnType<NicNetlink['nl']['monitor']>;
  try { mon = nic.nl.monitor(); } catch { nic.close(); return null; }
  let stopped = false;
  const want = names ? new Set(names) : null;
  void (async () => {
    try {
      for (;;) {
        const n = await mon.next(500);
        if (stopped) break;
        if (!n) continue;
        const dev = n.dev.name ?? `ifindex ${n.dev.index ?? '?'}`;
        if (want && !want.has(dev)) continue;
        onEvent({ time: new Date().toISOString(), dev, source: 'netlink', text: notificationText(n.message) });
      }
    } catch { /* the socket failed: no more notifications */ }
  })();
  return () => { stopped = true; mon.close(); nic.close(); };
}
