/** The sampling loop of the live view: sample, render, reschedule; quits on q/Ctrl-C/signals. */
import { TopModel } from './model';
import { TopView, ViewOptions } from './view';

export function runInteractive(model: TopModel, viewOpts: Omit<ViewOptions, 'onQuit' | 'onInterval' | 'onResume'> = {}): Promise<number> {
  return new Promise<number>(resolve => {
    let timer: NodeJS.Timeout | null = null;
    let code = 0;
    const schedule = (ms: number) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(tick, ms);
    };
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'];
    const SIGNO: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };
    const onSignal = (sig: NodeJS.Signals) => { code = sig === 'SIGINT' ? 0 : 128 + (SIGNO[sig] ?? 0); view.quit(); };
    const view = new TopView(model, {
      ...viewOpts,
      onQuit: () => {
        if (timer) clearTimeout(timer);
        for (const s of signals) process.removeListener(s, onSignal);
        process.removeListener('uncaughtException', onCrash);
        resolve(code);
      },
      onInterval: () => schedule(model.intervalS * 1000),
      onResume: () => schedule(0),
    });
    // A crash must not leave the terminal raw: restore it first, then one line on stderr
    // (unless another handler — the ethkit CLI's — reports it and exits).
    const fail = (e: unknown, report: boolean) => {
      code = 1;
      view.quit();
      if (report) process.stderr.write(`ethkit: --top: internal error: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}\n`);
    };
    const onCrash = (e: unknown) => {
      const others = process.listeners('uncaughtException').filter(l => l !== onCrash);
      fail(e, others.length === 0);
    };
    process.prependListener('uncaughtException', onCrash);
    for (const s of signals) process.on(s, onSignal);
    function tick(): void {
      if (view.isClosed) return;
      const started = Date.now();
      try {
        model.sample();
        view.render();
      } catch (e) {
        fail(e, true);
        return;
      }
      schedule(Math.max(10, model.intervalS * 1000 - (Date.now() - started)));
    }
    model.sample(); // prime: the first rates appear after one interval
    view.render();
    schedule(model.intervalS * 1000);
  });
}
