// `synack serve` path rules: nothing outside the root is reachable, however the path is spelled.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import {
  contentTypeFor,
  renderListing,
  resolveRequestPath,
  staysInsideRoot,
} from '../../../src/app/static-files.js';

const root = mkdtempSync(join(tmpdir(), 'synack-static-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('plain paths map under the root; query and fragment are ignored', () => {
  const r = resolveRequestPath(root, '/a/b.txt?x=1');
  assert.deepEqual(r, { kind: 'path', path: join(root, 'a', 'b.txt'), urlPath: '/a/b.txt' });
  assert.deepEqual(resolveRequestPath(root, '/'), { kind: 'path', path: root, urlPath: '/' });
  assert.equal((resolveRequestPath(root, '/a%20b') as { path: string }).path, join(root, 'a b'));
});

test('traversal in any spelling is refused', () => {
  for (const target of [
    '/../etc/passwd',
    '/a/../../x',
    '/%2e%2e/x',
    '/%2E%2E%2Fx',
    '/a/%2e%2e/%2e%2e/x',
    '/..\\x',
  ]) {
    const r = resolveRequestPath(root, target);
    assert.notEqual(r.kind, 'path', target);
  }
  assert.equal(resolveRequestPath(root, '/a%00b').kind, 'bad-request');
  assert.equal(resolveRequestPath(root, '/%zz').kind, 'bad-request');
  assert.equal(resolveRequestPath(root, 'x').kind, 'bad-request');
});

test('property: a resolved path is always the root or inside it', () => {
  const segment = fc.constantFrom('..', '.', '', 'a', '%2e%2e', '%2f', 'b%2F..', '%5c', '...', '..%00');
  fc.assert(
    fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
      const r = resolveRequestPath(root, `/${segments.join('/')}`);
      if (r.kind !== 'path') return true;
      return r.path === root || r.path.startsWith(`${root}/`);
    }),
  );
});

test('symlinks that leave the root are caught', () => {
  mkdirSync(join(root, 'in'));
  writeFileSync(join(root, 'in', 'f'), 'x');
  symlinkSync('/etc', join(root, 'out'));
  symlinkSync(join(root, 'in'), join(root, 'alias'));
  assert.equal(staysInsideRoot(root, join(root, 'in', 'f')), true);
  assert.equal(staysInsideRoot(root, join(root, 'alias', 'f')), true);
  assert.equal(staysInsideRoot(root, join(root, 'out')), false);
});

test('content types and the listing (escaped names, directories first)', () => {
  assert.equal(contentTypeFor('/x/INDEX.HTML'), 'text/html; charset=utf-8');
  assert.equal(contentTypeFor('/x/blob'), 'application/octet-stream');
  const html = renderListing('/d/', [
    { name: 'z<b>.txt', directory: false, size: 1234 },
    { name: 'sub', directory: true, size: 0 },
  ]);
  assert.ok(html.indexOf('sub/') < html.indexOf('z&lt;b&gt;.txt'));
  assert.match(html, /href="z%3Cb%3E.txt"/);
  assert.match(html, /1,234/);
  assert.match(html, /href="\.\.\/"/);
});
