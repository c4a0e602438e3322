/** Text and JSON renderings of plans and results. */
import { linkResets } from './plan';
import type { Row, Plan } from './plan';
import type { StepReport } from './apply';

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => i === r.length - 1 ? c : (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function actionText(r: Row): string {
  switch (r.action) {
    case 'set': return r.resetsLink ? 'set (resets link)' : 'set';
    case 'ok': return 'ok';
    case 'later': return `later: ${r.reason}`;
    case 'skip': return `skipped: ${r.reason}`;
  }
}

export function planTable(rows: readonly Row[]): string {
  return table(['DEVICE', 'SETTING', 'CURRENT', 'TARGET', 'ACTION'],
    rows.map(r => [r.dev ?? '(host)', r.setting, r.current ?? '-', r.target ?? '-', actionText(r)]));
}

export function summary(plan: Plan): Record<'set' | 'ok' | 'skip' | 'later', number> {
  const s = { set: 0, ok: 0, skip: 0, later: 0 };
  for (const r of plan.rows) s[r.action]++;
  return s;
}

export function summaryText(plan: Plan): string {
  const s = summary(plan);
  const resets = linkResets(plan);
  const parts = [`${s.set} to set`, `${s.ok} ok`, `${s.skip} skipped`];
  if (s.later) parts.push(`${s.later} planned after the channel change`);
  return parts.join(', ') + (resets ? `; ${resets} link reset${resets === 1 ? '' : 's'}` : '');
}

export function rowJson(r: Row): Record<string, unknown> {
  const o: Record<string, unknown> = {
    device: r.dev, id: r.id, group: r.group, setting: r.setting, current: r.current, target: r.target, action: r.action,
  };
  if (r.reason) o.reason = r.reason;
  if (r.action === 'set' || r.action === 'later') o.resets_link = !!r.resetsLink;
  if (r.why) o.why = r.why;
  return o;
}

export function stepJson(s: StepReport): Record<string, unknown> {
  const o: Record<string, unknown> = { step: s.step, kind: s.kind, device: s.dev, settings: s.settings, resets_link: s.resetsLink, status: s.status };
  if (s.error) o.error = s.error;
  if (s.refused) o.refused = s.refused;
  return o;
}
