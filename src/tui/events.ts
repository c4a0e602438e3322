/**
 * The event line of `--top`: link changes (operstate, device gone/back) as rtnetlink's
 * RTNLGRP_LINK notifies them — each at the moment it happened, so a flap shorter than the
 * sample interval still shows — or, without a route netlink socket (and in --replay), as seen
 * between samples; and ethtool netlink notifications (the "monitor" group: a setting changed,
 * by this or any other program — ethtool -K/-L/-G/-C/-s …), newest last.
 */
import { NicNetlink, openLinkMonitor } from '../device/netlink';

export interface TopEvent {
  /** wall-clock time (ISO) */
  time: string;
  dev: string;
  /** 'link' (operstate, gone/back) or 'netlink' (a monitor notification) */
  source: 'link' | 'netlink';
  /** e.g. "link down (up → down)", "channels changed (CHANNELS_NTF)" */
  text: string;
}

/** The text of a link change from operstate `before` to `now` ('gone': the device was removed). */
export function linkChangeText(before: string, now: string): string {
  if (now === 'gone') return 'device gone';
  if (before === 'gone') return `device back (${now})`;
  if (now === 'up') return `link up (${before} → up)`;
  if (before === 'up') return `link down (up → ${now})`;
  return `link ${now} (${before} → ${now})`;
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

/**
 * Listen to RTNLGRP_LINK for `names` (null: every device) and report operstate changes and
 * devices removed/added; `known(name)` gives the state last seen by sampling (undefined: not
 * seen), the start of each device's history. Returns a stop function, or null when no route
 * netlink socket can be had (the caller derives link events from samples then).
 */
export function watchLinks(names: readonly string[] | null, known: (name: string) => string | undefined, onEvent: (e: TopEvent) => void): (() => void) | null {
  const mon = openLinkMonitor();
  if (!mon) return null;
  let stopped = false;
  const want = names ? new Set(names) : null;
  const last = new Map<string, string>();
  void (async () => {
    try {
      for (;;) {
        const n = await mon.next(500);
        if (stopped) break;
        if (!n || !n.name) continue;
        if (want && !want.has(n.name)) continue;
        const now = n.message === 'RTM_DELLINK' ? 'gone' : n.operstate;
        if (!now) continue;
        const before = last.get(n.name) ?? known(n.name);
        last.set(n.name, now);
        if (before === undefined || before === now) continue;
        onEvent({ time: new Date().toISOString(), dev: n.name, source: 'link', text: linkChangeText(before, now) });
      }
    } catch { /* the socket failed: no more notifications */ }
  })();
  return () => { stopped = true; mon.close(); };
}
