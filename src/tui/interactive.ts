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
    const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
    const onSignal = (sig: NodeJS.Signals) => { code = sig === 'SIGINT' ? 0 : 128 + (sig === 'SIGTERM' ? 15 : 1); view.quit(); };
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
    // A crash must not leave the terminal raw: restore it, then report one line.
    const onCrash = (e: unknown) => {
      code = 70;
      view.quit();
      process.stderr.write(`ethkit: --top: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    };
    process.on('uncaughtException', onCrash);
    for (const s of signals) process.on(s, onSignal);
    function tick(): void {
      if (view.isClosed) return;
      const started = Date.now();
      try {
        model.sample();
        view.render();
      } catch (e) {
        onCrash(e);
        return;
      }
      schedule(Math.max(10, model.intervalS * 1000 - (Date.now() - started)));
    }
    model.sample(); // prime: the first rates appear after one interval
    view.render();
    schedule(model.intervalS * 1000);
  });
}
