// Path joining, suffix matching for breakpoints, and sourceMap-style substitution.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPath, normalizePath, PathMapper } from '../../../core/debuginfo';
import { joinPath } from '../../../core/debuginfo/source-paths';

test('DWARF paths join and normalise like the producers meant them', () => {
  assert.equal(joinPath('/fixtures', './shapes.h'), '/fixtures/shapes.h');
  assert.equal(joinPath('/a/b', '../c.c'), '/a/c.c');
  assert.equal(joinPath('/a/b', '/abs/c.c'), '/abs/c.c');
  assert.equal(joinPath(undefined, 'rel.c'), 'rel.c');
  assert.equal(joinPath('C:\\src', 'x.c'), 'C:\\src\\x.c');
  assert.equal(normalizePath('/a//b/./c'), '/a/b/c');
  assert.equal(normalizePath('../x/./y'), '../x/y');
  assert.equal(joinPath('/build', 'wasisdk://v33.0+m/src/./a.c'), 'wasisdk://v33.0+m/src/a.c');
});

test('breakpoint paths match exactly or by whole-segment suffix', () => {
  assert.equal(matchPath('/fixtures/main.c', '/fixtures/main.c'), 2);
  assert.equal(matchPath('/home/me/fixtures/main.c', '/fixtures/main.c'), 1);
  assert.equal(matchPath('main.c', '/fixtures/main.c'), 1);
  assert.equal(matchPath('ain.c', '/fixtures/main.c'), 0);
  assert.equal(matchPath('C:\\work\\src\\a.c', 'src/a.c'), 1);
});

test('PathMapper substitutes prefixes both ways, on segment boundaries, first pair first', () => {
  const m = new PathMapper([
    ['/fixtures', '/home/me/proj/test/fixtures/debuginfo'],
    ['/build', '/src'],
  ]);
  assert.equal(m.toLocal('/fixtures/main.c'), '/home/me/proj/test/fixtures/debuginfo/main.c');
  assert.equal(m.toLocal('/fixturesX/main.c'), '/fixturesX/main.c');
  assert.equal(m.toLocal('/build/lib/a.c'), '/src/lib/a.c');
  assert.equal(m.toDwarf('/home/me/proj/test/fixtures/debuginfo/shapes.h'), '/fixtures/shapes.h');
  assert.equal(m.toDwarf('/elsewhere/a.c'), '/elsewhere/a.c');
  assert.equal(new PathMapper([['/b/', '/c/']]).toLocal('/b/x.c'), '/c/x.c');
});
