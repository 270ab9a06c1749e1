// A .wat holding component text: our parser does not read (component ...) yet, and says so at the
// `component` keyword rather than reporting an unexpected token (or wabt's confusion).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocument } from '../../../core/check/check-document';
import { loadWabt } from '../../../core/check/wabt-loader';
import { ENGINE_DEFAULT_FEATURES } from '../../../core/features';
import { parseWat } from '../../../core/text';

const text = ';; a component\n  (component\n  (core module (func)))\n';

test('parseWat names the component form at its keyword', () => {
  const errors = parseWat(text).errors;
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /component text \(component \.\.\.\) is not read yet/);
  assert.equal(text.slice(errors[0]!.start, errors[0]!.end), 'component');
});

test('checking a component .wat gives that one error at line 2, nothing from wabt', async () => {
  const found = checkDocument(await loadWabt(), text, { language: 'wat', features: ENGINE_DEFAULT_FEATURES });
  assert.equal(found.length, 1);
  assert.equal(found[0]!.severity, 'error');
  assert.equal(found[0]!.range.start.line, 1);
  assert.match(found[0]!.message, /not read yet/);
});

test('a core module is not affected', async () => {
  assert.deepEqual(checkDocument(await loadWabt(), '(module (func))', { language: 'wat', features: ENGINE_DEFAULT_FEATURES }), []);
});
