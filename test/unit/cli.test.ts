import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildProgram } from '../../src/cli/main.js';

test('the CLI lists its commands', () => {
  const names = buildProgram().commands.map((c) => c.name());
  assert.ok(names.includes('read'));
});
