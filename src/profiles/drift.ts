/**
 * Does a device still match the profile last applied to it? The read-only half of --verify for
 * one device: the top entry of its snapshot stack (in this network namespace) names the profile
 * and the parameters of that apply; the profile is planned again against the device as it is now,
 * and every setting the plan would change is drift. Nothing is locked, written or changed.
 */
import type { Transport } from '../ethtool/transport';
import { HostFs, RealFs } from '../common/hostfs';
import { SnapshotStore, DEFAULT_STATE_DIR } from './snapshot';
import { planProfile, sysctlPaths, pending } from './plan';
import { readHost, Env } from './state';
import { summary } from './format';
import { resolveProfile, defaultProfileDir, netlinkCapabilities } from './cli';
import type { Scalar } from './model';

export interface DriftResult {
  profile: string;
  params: Record<string, Scalar>;
  /** Settings the device (or the host, for the profile's host-wide rows) differs in. */
  drift: number;
  /** Settings found as the profile says. */
  ok: number;
  /** Settings the plan skips (the device cannot have them). */
  skipped: number;
}

export interface DriftOptions {
  transport: Transport;
  fs?: HostFs;
  stateDir?: string;
  profileDir?: string;
  /** Ask the driver's coalesce capabilities over netlink (the machine's, by default). */
  probe?: Env['probe'] | null;
}

export class DriftChecker {
  private readonly env: Env;
  private readonly store: SnapshotStore;
  private readonly profileDir: string;

  constructor(opts: DriftOptions) {
    const fs = opts.fs ?? new RealFs();
    this.env = { transport: opts.transport, fs, ...(opts.probe === null ? {} : { probe: opts.probe ?? netlinkCapabilities }) };
    let ns: string | null = null;
    try { ns = fs.readlink('/proc/self/ns/net'); } catch { ns = null; }
    this.store = new SnapshotStore(opts.stateDir ?? DEFAULT_STATE_DIR, ns);
    this.profileDir = opts.profileDir ?? defaultProfileDir();
  }

  /** null when no profile was applied to `dev` here; throws (one line) when the record or profile cannot be read. */
  check(dev: string): DriftResult | null {
    const top = this.store.latest(dev);
    if (!top) return null;
    const { profile: name, params } = top.entry;
    // Read again each time: an edited profile is checked as it is now.
    const profile = resolveProfile(name, this.profileDir);
    const plan = planProfile(profile, params, readHost(this.env, [dev], sysctlPaths(profile, params, [dev])));
    const s = summary(plan);
    return { profile: name, params, drift: pending(plan).length, ok: s.ok, skipped: s.skip };
  }
}
