// Runs each client feature's `activate` in order; one that throws is recorded by name and the rest
// still start. Pure (no `vscode`), so the "failures are reported, not swallowed" rule is tested headless.

export interface Feature<C> {
  name: string;
  activate(ctx: C): void | Promise<void>;
}

/** Returns one line per feature that failed, e.g. `the module tree (cannot read x)`. */
export async function activateFeatures<C>(ctx: C, features: readonly Feature<C>[], log: (message: string) => void): Promise<string[]> {
  const failures: string[] = [];
  for (const feature of features) {
    try {
      await feature.activate(ctx);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log(`activating ${feature.name}: ${err instanceof Error ? (err.stack ?? message) : message}`);
      failures.push(`${feature.name} (${message})`);
    }
  }
  return failures;
}
