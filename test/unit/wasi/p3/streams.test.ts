// The WASI 0.3 host's stream helpers (core/wasi/p3/streams.ts) on the shared stream/future
// rendezvous alone: a source fed lazily into a drained sink arrives whole and in order, the
// writer's end is seen by the reader, a reader that goes away is reported to the writer, and a
// future's value reaches a later reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CopyResult, HostSink, SharedFuture, SharedStream } from '../../../../core/component';
import { drain, feed, resolveFuture } from '../../../../core/wasi/p3/streams';

const wake = { wake: (): void => {} };

test('feed → drain: every chunk, in order, then the end', () => {
  const s = new SharedStream(wake, undefined);
  const chunks = [new Uint8Array([1, 2, 3]), new Uint8Array([4]), new Uint8Array([5, 6])];
  let produced = 0;
  feed(s, () => (produced < chunks.length ? chunks[produced++]! : null));
  assert.equal(produced, 0, 'nothing is produced before a reader asks');
  const got: number[] = [];
  let ended = false;
  drain(s, (b) => got.push(...b), () => {
    ended = true;
  }, 2);
  assert.deepEqual(got, [1, 2, 3, 4, 5, 6]);
  assert.ok(ended, 'the reader saw the writer drop at the end');
});

test('a reader that drops its end is reported to the feeding writer', () => {
  const s = new SharedStream(wake, undefined);
  let gone = false;
  feed(s, () => new Uint8Array([1]), () => {
    gone = true;
  });
  s.drop();
  assert.ok(gone);
});

test('a future written before anyone reads reaches the later reader once', () => {
  const f = new SharedFuture(wake, undefined);
  resolveFuture(f, { tag: 'ok' });
  const sink = new HostSink(1);
  let result: CopyResult | undefined;
  f.read(undefined, sink, (r) => {
    result = r;
  });
  assert.equal(result, CopyResult.COMPLETED);
  assert.deepEqual(sink.values(), [{ tag: 'ok' }]);
});
