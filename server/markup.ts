// Plain-text answers for clients that say they cannot render markdown (eglot without markdown-mode asks
// for plaintext hovers and would show ```wasm fences and backticks verbatim in eldoc).
import type { CompletionItem, CompletionList, Hover, MarkupContent } from 'vscode-languageserver/node';

/** Which of our markdown answers the client renders; `contentFormat` / `documentationFormat` from its capabilities. */
export interface MarkdownSupport {
  hover: boolean;
  completionDocumentation: boolean;
}

/** True unless the client lists the formats it renders and markdown is not among them (absent = as before, markdown). */
export function acceptsMarkdown(formats: readonly string[] | undefined): boolean {
  return formats === undefined || formats.includes('markdown');
}

/** Our markdown is only ```wasm fences and `code` spans: dropping both loses nothing a reader needs. */
export function plainText(markdown: string): string {
  return markdown
    .split('\n')
    .filter((line) => !line.startsWith('```'))
    .join('\n')
    .replace(/`([^`\n]*)`/g, '$1');
}

function plain(content: MarkupContent): MarkupContent {
  return content.kind === 'markdown' ? { kind: 'plaintext', value: plainText(content.value) } : content;
}

function plainItem(item: CompletionItem): CompletionItem {
  const doc = item.documentation;
  return doc && typeof doc === 'object' ? { ...item, documentation: plain(doc) } : item;
}

/** The analysis worker's answer to `method`, rewritten for a client that renders no markdown there. */
export function forClient(method: string, answer: unknown, support: MarkdownSupport): unknown {
  if (method === 'textDocument/hover' && !support.hover && answer) {
    const hover = answer as Hover;
    const contents = hover.contents;
    if (typeof contents === 'object' && 'kind' in contents) return { ...hover, contents: plain(contents) };
  }
  if (method === 'textDocument/completion' && !support.completionDocumentation && answer) {
    if (Array.isArray(answer)) return (answer as CompletionItem[]).map(plainItem);
    const list = answer as CompletionList;
    return { ...list, items: list.items.map(plainItem) };
  }
  return answer;
}
