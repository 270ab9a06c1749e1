// Builds Wasmscope launch configurations; pure so the F5-without-launch.json rules are tested headless.

export interface LaunchConfig {
  type: 'wasmscope';
  request: 'launch';
  name: string;
  program: string;
  args?: string[];
  invoke?: { export: string; args: (string | number)[] };
  [key: string]: unknown;
}

/** Files Wasmscope can run: a module in text or binary form (a .wast script is run by `wasmscope spec`). */
export function isRunnable(path: string): boolean {
  return /\.(wat|wasm)$/i.test(path);
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The configuration F5 uses when there is no launch.json: run the open file. */
export function defaultLaunchConfig(filePath: string, program = '${file}'): LaunchConfig {
  return { type: 'wasmscope', request: 'launch', name: `Run ${baseName(filePath)}`, program };
}

/** A configuration that calls one export with the given arguments instead of `_start`. */
export function invokeLaunchConfig(filePath: string, exportName: string, args: (string | number)[]): LaunchConfig {
  return {
    type: 'wasmscope',
    request: 'launch',
    name: `${exportName}(${args.join(', ')}) in ${baseName(filePath)}`,
    program: filePath,
    invoke: { export: exportName, args },
  };
}

/**
 * Splits what the user typed as an export's arguments: spaces or commas separate them, and each
 * stays a string so i64 and float literals (`0x7fff_ffff_ffff`, `-nan`, `1.5e3`) reach the adapter intact.
 */
export function parseInvokeArgs(text: string): string[] {
  return text.split(/[\s,]+/).filter((s) => s.length > 0);
}

/** Whether a configuration is the empty one VS Code passes on F5 with no launch.json. */
export function isEmptyConfig(config: { type?: unknown; request?: unknown; name?: unknown }): boolean {
  return !config.type && !config.request && !config.name;
}

/**
 * The launch.json configuration meant for `filePath`: one whose `program` names that file (after
 * `${workspaceFolder}` substitution, or relative to the folder). Used by the Run/Debug buttons and
 * F5 in the .wasm view, so args and env in launch.json apply. A `${file}` entry is not taken: from
 * the explorer's context menu it would name the active editor's file, not the one clicked.
 */
export function findLaunchConfig(configs: unknown, filePath: string, folderPath: string | undefined): { name: string } | undefined {
  if (!Array.isArray(configs)) return undefined;
  const norm = (p: string) => p.replace(/\\/g, '/').replace(/\/\.\//g, '/').replace(/\/+$/, '');
  const target = norm(filePath);
  for (const c of configs as Record<string, unknown>[]) {
    if (typeof c !== 'object' || c === null || c.type !== 'wasmscope' || c.request !== 'launch' || typeof c.name !== 'string') continue;
    const program = typeof c.program === 'string' ? c.program : '';
    if (program === '' || program.includes('${file')) continue;
    let resolved = program.replace(/\$\{workspaceFolder\}/g, folderPath ?? '${workspaceFolder}');
    if (folderPath && !/^([/\\]|[A-Za-z]:)/.test(resolved)) resolved = `${folderPath}/${resolved}`;
    if (norm(resolved) === target) return { name: c.name };
  }
  return undefined;
}
