#!/usr/bin/env node
// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [unit|integration|all] [extra node --test args]
// Unit tests run in parallel; integration tests (network namespaces, real kernel) run one file at a time.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out = out.concat(findTests(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out.sort();
}

function run(files, concurrency, extra) {
  if (files.length === 0) return 0;
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...extra, ...files];
  const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
  return result.status ?? 1;
}

const [suite = 'all', ...extra] = process.argv.slice(2);
const filter = process.env.TEST_FILTER;
const pick = (files) => (filter ? files.filter((f) => f.includes(filter)) : files);
let status = 0;
if (suite === 'unit' || suite === 'all') status ||= run(pick(findTests('test/unit')), 2, extra);
if (suite === 'integration' || suite === 'all') {
  if (process.getuid?.() !== 0) {
    console.error('integration tests need root (network namespaces, TAP devices): run them with sudo');
    status ||= 1;
  } else status ||= run(pick(findTests('test/integration')), 1, extra);
}
process.exit(status);
