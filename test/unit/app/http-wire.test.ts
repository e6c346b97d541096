// curl -v / -I shapes and the HTTP/1.0 request line.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import {
  downgradeRequestLine,
  headerBlock,
  requestHeadLines,
  responseHeadLines,
  speakHttp10,
} from '../../../src/app/http-wire.js';

const res = {
  httpVersion: '1.1',
  statusCode: 200,
  statusMessage: 'OK',
  rawHeaders: ['Server', 'nginx', 'Content-Length', '2048'],
};

test('-v: request head lines start with "> " and end with ">"', () => {
  assert.deepEqual(requestHeadLines('GET / HTTP/1.1\r\nHost: h\r\n\r\n'), [
    '> GET / HTTP/1.1',
    '> Host: h',
    '>',
  ]);
});

test('-v: response head lines keep the received order', () => {
  assert.deepEqual(responseHeadLines(res), [
    '< HTTP/1.1 200 OK',
    '< Server: nginx',
    '< Content-Length: 2048',
    '<',
  ]);
});

test('-I: the header block is CRLF terminated with a blank line', () => {
  assert.equal(headerBlock(res), 'HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Length: 2048\r\n\r\n');
});

test('--http1.0 rewrites only the request line', () => {
  assert.equal(
    downgradeRequestLine('GET /x?HTTP/1.1 HTTP/1.1\r\nX: HTTP/1.1\r\n\r\n'),
    'GET /x?HTTP/1.1 HTTP/1.0\r\nX: HTTP/1.1\r\n\r\n',
  );
  assert.equal(downgradeRequestLine('body HTTP/1.1\r\n'), 'body HTTP/1.1\r\n');
});

test('speakHttp10 changes the first write only (strings and buffers)', () => {
  for (const asBuffer of [false, true]) {
    const s = new PassThrough();
    speakHttp10(s);
    const head = 'HEAD / HTTP/1.1\r\nHost: h\r\n\r\n';
    s.write(asBuffer ? Buffer.from(head) : head);
    s.write('GET / HTTP/1.1\r\n');
    s.end();
    assert.equal(s.read().toString(), 'HEAD / HTTP/1.0\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\n');
  }
});
