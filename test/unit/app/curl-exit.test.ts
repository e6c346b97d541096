// Errors from resolving, connecting, TLS and reading become curl's exit codes with a next step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CurlExit,
  failureToUserError,
  httpStatusError,
  timeoutError,
  writeFailure,
} from '../../../src/app/curl-exit.js';

const at = { host: 'srv', port: 80 };
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

test('name resolution failures exit 6', () => {
  for (const code of ['ENOTFOUND', 'ESERVFAIL', 'ETIMEOUT']) {
    const e = failureToUserError(coded(code), { ...at, connected: false });
    assert.equal(e.exitCode, CurlExit.couldNotResolve);
    assert.match(e.message, /could not resolve host: srv/);
    assert.ok(e.hint);
  }
});

test('refused and unreachable exit 7', () => {
  assert.equal(failureToUserError(coded('ECONNREFUSED'), { ...at, connected: false }).exitCode, 7);
  assert.equal(failureToUserError(coded('ENETUNREACH'), { ...at, connected: false }).exitCode, 7);
});

test('a reset before the connection is up is a failed connect (7); after, a failed receive (56)', () => {
  assert.equal(failureToUserError(coded('ECONNRESET'), { ...at, connected: false }).exitCode, 7);
  const late = failureToUserError(coded('ECONNRESET'), { ...at, connected: true });
  assert.equal(late.exitCode, 56);
  assert.match(late.message, /failure receiving data from srv port 80/);
});

test('TCP giving up is a timeout (28); a short body is a partial file (18)', () => {
  assert.equal(failureToUserError(coded('ETIMEDOUT'), { ...at, connected: false }).exitCode, 28);
  assert.equal(failureToUserError(coded('EPARTIAL'), { ...at, connected: true }).exitCode, 18);
});

test('certificate problems exit 60, other TLS failures 35', () => {
  const cert = failureToUserError(coded('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify'), {
    ...at,
    connected: true,
  });
  assert.equal(cert.exitCode, 60);
  assert.match(cert.hint ?? '', /--cacert/);
  const proto = failureToUserError(coded('ERR_SSL_WRONG_VERSION_NUMBER', 'wrong version number'), {
    ...at,
    connected: true,
  });
  assert.equal(proto.exitCode, 35);
});

test('an error nobody classified while reading is 56, never a stack trace', () => {
  const e = failureToUserError(new Error('weird'), { ...at, connected: true });
  assert.equal(e.exitCode, 56);
  assert.match(e.message, /weird/);
});

test('the fixed messages: --max-time / --connect-timeout 28, -f 22, write 23', () => {
  assert.equal(timeoutError('total', 2000, 5).exitCode, 28);
  assert.match(timeoutError('total', 2000, 5).message, /2 s with 5 bytes/);
  assert.equal(timeoutError('connect', 500, 0).exitCode, 28);
  assert.equal(httpStatusError(404, 'Not Found').exitCode, 22);
  assert.match(httpStatusError(404, 'Not Found').message, /404 Not Found/);
  assert.equal(writeFailure('/dev/full', coded('ENOSPC', 'no space')).exitCode, 23);
});
