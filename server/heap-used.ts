// The heap a thread uses, as serverStatus reports it.

/**
 * This thread's used heap. When the process runs with --expose-gc (bench/lsp-latency.mjs starts the
 * server so), after a full collection: the live size, which is what "memory stays flat" is about;
 * otherwise, as it is now, garbage included.
 */
export function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}
