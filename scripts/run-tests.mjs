#!/usr/bin/env node
// Runs the test suites with Node's own test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [unit|integration|all] [extra node --test args]
// Unit tests run in parallel; integration tests (network namespaces, real kernel) run one file at a
// time, after a pre-flight check (scripts/preflight.mjs) and under a watch of the host's uplinks
// (scripts/uplink-watch.mjs) that test/integration/zz-uplink checks last, once the watch has stopped.
// Every run ends with the failed tests, if any, and one line: `summary: N passed, N failed (time)`.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKS, preflight } from './preflight.mjs';
import { LEAK_FILTER, startWatch } from './uplink-watch.mjs';

const UPLINK_CHECK_DIR = join('test', 'integration', 'zz-uplink');
const REPORTER = new URL('./count-reporter.mjs', import.meta.url).href;

const started = performance.now();
const filter = process.env.TEST_FILTER;
// Results of the reporter, one file per `node --test`; the uplink watch writes here too.
const workDir = mkdtempSync(join(tmpdir(), 'synack-tests-'));
const tally = { passed: 0, failed: 0, skipped: 0, failures: [], notes: [], status: 0 };
const current = { child: null, watch: null, signal: null };

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

const pick = (files) => (filter ? files.filter((f) => f.includes(filter)) : files);

/** One `node --test` over `files`; its results go into the tally. Resolves with its exit status. */
async function runFiles(label, files, concurrency, extra, env = {}) {
  if (current.signal) return 0;
  if (files.length === 0) {
    console.log(`${label}: no test file matches TEST_FILTER=${filter}`);
    return 0;
  }
  const results = join(workDir, `${label}.jsonl`);
  const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout'];
  reporters.push(`--test-reporter=${REPORTER}`, `--test-reporter-destination=${results}`);
  const args = ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...reporters];
  const child = spawn(process.execPath, [...args, ...extra, ...files], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  current.child = child;
  const status = await new Promise((resolve) => {
    child.once('close', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
  });
  current.child = null;
  count(label, results, status);
  return status;
}

function count(label, results, status) {
  let lines = [];
  try {
    lines = readFileSync(results, 'utf8').split('\n').filter(Boolean);
  } catch {}
  let failedHere = 0;
  for (const { status: s, file, name } of lines.map((l) => JSON.parse(l))) {
    if (s === 'pass') tally.passed++;
    else if (s === 'skip') tally.skipped++;
    else {
      tally.failed++;
      failedHere++;
      tally.failures.push(`${file}: ${name}`);
    }
  }
  // A crash of node --test itself (or a kill) leaves no failed test behind; still name the run.
  if (status !== 0 && failedHere === 0)
    tally.failures.push(`${label} run: node --test exited with ${status}`);
  if (status !== 0) tally.status ||= 1;
}

// A failure outside any test: printed now, and again in the list before the summary line.
function fail(line, note) {
  console.error(line);
  tally.failures.push(line);
  tally.notes.push(note);
  tally.status ||= 1;
}

async function runIntegration(extra) {
  // zz-uplink is not one of them: it checks the watch, so it runs after the watch has stopped.
  const files = pick(findTests(join('test', 'integration'))).filter(
    (f) => !f.startsWith(`${UPLINK_CHECK_DIR}/`),
  );
  if (files.length === 0) return runFiles('integration', files, 1, extra);
  const missing = preflight();
  if (missing) return fail(missing, 'integration tests not run: pre-flight failed');
  console.log(`pre-flight: all ${CHECKS.length} checks passed (scripts/preflight.mjs)`);
  const watch = await startUplinkWatch();
  if (!watch) return;
  try {
    await runFiles('integration', files, 1, extra);
  } finally {
    await watch.stop();
    current.watch = null;
  }
  if (current.signal) return;
  // Without `extra`: a --test-name-pattern meant for the suite would turn this check into a skip.
  await runFiles('uplink-check', findTests(UPLINK_CHECK_DIR), 1, [], { SYNACK_UPLINK_CAPTURE: watch.dir });
}

async function startUplinkWatch() {
  const dir = join(workDir, 'uplink');
  mkdirSync(dir);
  try {
    const watch = await startWatch(dir);
    current.watch = watch;
    if (watch.ifaces.length === 0) {
      console.log('uplink watch: no default route in the initial network namespace, so no uplink to watch');
    } else console.log(`uplink watch: tcpdump on ${watch.ifaces.join(', ')} for "${LEAK_FILTER}"`);
    return watch;
  } catch (err) {
    const line = `uplink watch: ${err.message.trim().replaceAll('\n', ' ')}`;
    fail(line, 'integration tests not run: the uplink watch did not start');
    return null;
  }
}

function duration(ms) {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  return whole < 60 ? `${whole} s` : `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

function printSummary() {
  if (tally.failures.length > 0) console.log(`\nfailed:\n${tally.failures.map((f) => `  ${f}`).join('\n')}`);
  const skipped = tally.skipped > 0 ? `, ${tally.skipped} skipped` : '';
  const notes = tally.notes.map((n) => `; ${n}`).join('');
  const time = duration(performance.now() - started);
  console.log(`summary: ${tally.passed} passed, ${tally.failed} failed${skipped}${notes} (${time})`);
}

// The test run gets the signal too (same process group from a terminal; forwarded otherwise). We
// wait for it to end, stop the watch, and print the summary; a second signal stops waiting.
function onSignal(signal) {
  if (current.signal) process.exit(128 + constants.signals[signal]);
  current.signal = signal;
  tally.notes.push(`interrupted by ${signal}`);
  tally.status = 128 + constants.signals[signal];
  current.child?.kill(signal);
}

async function main() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
  // Also on a second signal's process.exit: no tcpdump and no capture left behind.
  process.on('exit', () => {
    current.watch?.kill();
    rmSync(workDir, { recursive: true, force: true });
  });
  const [suite = 'all', ...extra] = process.argv.slice(2);
  if (!['unit', 'integration', 'all'].includes(suite)) {
    console.error(
      `usage: node scripts/run-tests.mjs [unit|integration|all] [node --test args] (not ${suite})`,
    );
    process.exitCode = 2;
    return;
  }
  if (suite === 'unit' || suite === 'all')
    await runFiles('unit', pick(findTests(join('test', 'unit'))), 2, extra);
  if (!current.signal && (suite === 'integration' || suite === 'all')) await runIntegration(extra);
  printSummary();
  process.exitCode = tally.status;
}

await main();
