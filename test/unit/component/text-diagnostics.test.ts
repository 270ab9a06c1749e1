// A .wat holding component text: componentTextDiagnostics reads it with the component parser,
// encoder and validator (wabt and core/check read core modules only), so the editor and
// `wasmscope check` see its errors at their forms, and nothing for a valid component. parseWat
// still says it is not a core module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentTextDiagnostics, isComponentText } from '../../../core/component/text';
import { ENGINE_DEFAULT_FEATURES } from '../../../core/features';
import { parseWat } from '../../../core/text';

const valid = ';; a component\n  (component\n  (core module (func)))\n';

test('parseWat names the component form at its keyword (it reads core modules only)', () => {
  const errors = parseWat(valid).errors;
  assert.equal(errors.length, 1);
  assert.match(errors[0]!.message, /component text \(component \.\.\.\) is not a core module/);
  assert.equal(valid.slice(errors[0]!.start, errors[0]!.end), 'component');
});

test('checking a valid component .wat gives no diagnostics', () => {
  assert.deepEqual(componentTextDiagnostics(valid, { features: ENGINE_DEFAULT_FEATURES }), []);
});

test('a component .wat with errors: each at its line, from our parser, nothing from wabt', () => {
  const text = '(component\n  (core module (func (result i32) i64.const 0))\n  (core instance (instantiate $none)))\n';
  const found = componentTextDiagnostics(text, { features: ENGINE_DEFAULT_FEATURES });
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.equal(found[0]!.severity, 'error');
  assert.equal(found[0]!.source, 'wasmscope');
  assert.equal(found[0]!.range.start.line, 2);
  assert.match(found[0]!.message, /unknown core module \$none/);
  const invalid = '(component\n  (core module (func (result i32) i64.const 0)))\n';
  const bad = componentTextDiagnostics(invalid, { features: ENGINE_DEFAULT_FEATURES });
  assert.equal(bad.length, 1, JSON.stringify(bad));
  assert.equal(bad[0]!.range.start.line, 1);
  assert.match(bad[0]!.message, /invalid component: .*type mismatch/);
});

test('the routing test: the text after comments starts with (component, a core module does not', () => {
  assert.equal(isComponentText(valid), true);
  assert.equal(isComponentText('(module (func))'), false);
});
