// One fixture per TCP state: each reaches its state and reports it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './dsl.js';

const states = [
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
  'CLOSED',
] as const;

for (const st of states) {
  test(`fixture reaches ${st}`, () => {
    assert.equal(fixture(st).conn.state, st);
  });
}
