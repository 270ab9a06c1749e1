// A feature that fails to activate is reported by name and does not stop the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activateFeatures } from '../../client/activate-features';

test('every feature activates in order; failures are collected, logged and named', async () => {
  const ran: string[] = [];
  const logged: string[] = [];
  const failures = await activateFeatures({ tag: 'ctx' }, [
    { name: 'commands', activate: (ctx) => void ran.push(`commands:${ctx.tag}`) },
    { name: 'the module tree', activate: () => { throw new Error('no tree for you'); } },
    { name: 'the language server', activate: async () => { await Promise.resolve(); ran.push('server'); } },
    { name: 'code lenses', activate: () => Promise.reject(new Error('lens failed')) },
  ], (m) => logged.push(m));
  assert.deepEqual(ran, ['commands:ctx', 'server']);
  assert.deepEqual(failures, ['the module tree (no tree for you)', 'code lenses (lens failed)']);
  assert.equal(logged.length, 2);
  assert.match(logged[0]!, /^activating the module tree: Error: no tree for you/);
});
