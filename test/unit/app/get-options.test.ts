// `synack get` option rules: curl's URL defaults, headers, methods, timeouts and exit codes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildGetRequest, parseHeader, parseUrl } from '../../../src/app/get-options.js';
import { UserError } from '../../../src/cli/errors.js';

function exitCodeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof UserError, `expected a UserError, got ${err}`);
    return err.exitCode;
  }
  assert.fail('expected a throw');
}

describe('parseUrl', () => {
  test('a URL without a scheme is http:// like curl', () => {
    assert.equal(parseUrl('10.77.2.2/x').href, 'http://10.77.2.2/x');
  });
  test('a bad URL exits 3, an unknown scheme exits 1', () => {
    assert.equal(
      exitCodeOf(() => parseUrl('http://[::1')),
      3,
    );
    assert.equal(
      exitCodeOf(() => parseUrl('http://')),
      3,
    );
    assert.equal(
      exitCodeOf(() => parseUrl('ftp://example.org/')),
      1,
    );
  });
});

describe('parseHeader', () => {
  test('Name: value, trimmed', () => {
    assert.deepEqual(parseHeader('X-Test:   a b '), ['X-Test', 'a b']);
  });
  test('Name; sends an empty header', () => {
    assert.deepEqual(parseHeader('X-Empty;'), ['X-Empty', '']);
  });
  test('no name is a usage error', () => {
    assert.equal(
      exitCodeOf(() => parseHeader(': x')),
      2,
    );
    assert.equal(
      exitCodeOf(() => parseHeader('novalue')),
      2,
    );
  });
});

describe('buildGetRequest', () => {
  test('defaults: GET, port from the scheme, path with query', () => {
    const r = buildGetRequest('https://[fd77:2::2]/a/b?c=1', {});
    assert.equal(r.method, 'GET');
    assert.equal(r.host, 'fd77:2::2');
    assert.equal(r.port, 443);
    assert.equal(r.https, true);
    assert.equal(r.path, '/a/b?c=1');
    assert.equal(r.family, 0);
  });
  test("-I is HEAD, -d is POST with curl's content type, -X wins", () => {
    assert.equal(buildGetRequest('http://h/', { head: true }).method, 'HEAD');
    const post = buildGetRequest('http://h/', { data: ['a=1', 'b=2'] });
    assert.equal(post.method, 'POST');
    assert.equal(post.body, 'a=1&b=2');
    assert.deepEqual(post.headers, [['Content-Type', 'application/x-www-form-urlencoded']]);
    assert.equal(buildGetRequest('http://h/', { data: ['x'], request: 'put' }).method, 'PUT');
  });
  test('an explicit Content-Type is kept', () => {
    const r = buildGetRequest('http://h/', { data: ['{}'], header: ['content-type: application/json'] });
    assert.deepEqual(r.headers, [['content-type', 'application/json']]);
  });
  test('-4/-6, timeouts in seconds', () => {
    const r = buildGetRequest('http://h:8080/', { ipv6: true, connectTimeout: '1.5', maxTime: '10' });
    assert.equal(r.family, 6);
    assert.equal(r.port, 8080);
    assert.equal(r.connectTimeoutMs, 1500);
    assert.equal(r.maxTimeMs, 10_000);
  });
  test('contradictions and bad numbers are usage errors (2)', () => {
    assert.equal(
      exitCodeOf(() => buildGetRequest('http://h/', { ipv4: true, ipv6: true })),
      2,
    );
    assert.equal(
      exitCodeOf(() => buildGetRequest('http://h/', { head: true, data: ['x'] })),
      2,
    );
    assert.equal(
      exitCodeOf(() => buildGetRequest('http://h/', { maxTime: '0' })),
      2,
    );
    assert.equal(
      exitCodeOf(() => buildGetRequest('http://h/', { request: 'GET /x' })),
      2,
    );
  });
});
