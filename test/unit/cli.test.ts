import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandLoaders } from '../../src/cli/commands/index.js';
import { buildProgram } from '../../src/cli/main.js';

test('synack --help lists every command', async () => {
  const names = (await buildProgram(['--help'])).commands.map((c) => c.name()).sort();
  assert.deepEqual(names, Object.keys(commandLoaders).sort());
});

test('a named command loads only itself', async () => {
  const names = (await buildProgram(['read', 'x.pcap'])).commands.map((c) => c.name());
  assert.deepEqual(names, ['read']);
});
