// A change notifier: `wait()` resolves at the next `notify()`. Sockets notify on every state
// change (data in, drained, connected, accepted, closed); a 0.2 pollable checks its condition
// synchronously and awaits this only when the machine must block, a 0.3 stream awaits it in a loop.
export class Signal {
  private waiters: (() => void)[] = [];

  notify(): void {
    const w = this.waiters;
    if (w.length === 0) return;
    this.waiters = [];
    for (const f of w) f();
  }

  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
