// The few parts of the `vscode` API that the module tree and the .wasm view use, enough to run them
// outside VS Code (test/client/module-view.test.ts, bench/module-view.mjs): esbuild bundles
// module-view-harness.ts with `vscode` aliased to this file.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

export class Uri {
  private constructor(readonly scheme: string, readonly path: string, private readonly text: string) {}
  static file(path: string): Uri {
    return new Uri('file', path, pathToFileURL(path).toString());
  }
  static parse(text: string): Uri {
    const u = new URL(text);
    return new Uri(u.protocol.replace(/:$/, ''), decodeURIComponent(u.pathname), text);
  }
  get fsPath(): string {
    return this.scheme === 'file' ? fileURLToPath(this.text) : this.path;
  }
  toString(): string {
    return this.text;
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<(e: T) => void>();
  readonly event = (listener: (e: T) => void): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }

export class TreeItem {
  id?: string;
  description?: string;
  tooltip?: string;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  constructor(readonly label: string, readonly collapsibleState: TreeItemCollapsibleState) {}
}

export class ThemeIcon {
  constructor(readonly id: string) {}
}

export class TabInputText {
  constructor(readonly uri: Uri) {}
}
export class TabInputCustom {
  constructor(readonly uri: Uri, readonly viewType: string) {}
}

export const workspace = {
  fs: {
    async stat(uri: Uri): Promise<{ type: number; ctime: number; mtime: number; size: number }> {
      const s = await stat(uri.fsPath);
      return { type: 1, ctime: s.ctimeMs, mtime: s.mtimeMs, size: s.size };
    },
    async readFile(uri: Uri): Promise<Uint8Array> {
      return new Uint8Array(await readFile(uri.fsPath));
    },
  },
};

export const window = {
  activeTextEditor: undefined,
  tabGroups: { all: [] as unknown[], activeTabGroup: { activeTab: undefined } },
};

export const commands = {
  executeCommand(): Promise<undefined> {
    return Promise.resolve(undefined);
  },
};
