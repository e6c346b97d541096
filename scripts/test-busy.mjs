#!/usr/bin/env node
// npm run test:busy: the whole `npm test` while two CPU-bound processes compete for the cores, to
// catch tests that only pass on an idle machine (tight deadlines, timing assumptions). The load is
// killed in every case: when npm test ends (passed or failed), on SIGINT/SIGTERM/SIGHUP, and at exit.
import { spawn } from 'node:child_process';
import { availableParallelism, constants } from 'node:os';

const HOGS = 2;
// A busy loop that ends itself once its parent is gone (checked every 2^24 rounds), so that even a
// SIGKILLed test:busy leaves no core spinning.
const HOG_SOURCE = `const p = ${process.pid}; for (let i = 0; ; i++) if ((i & 0xffffff) === 0 && process.ppid !== p) process.exit();`;

const hogs = Array.from({ length: HOGS }, () =>
  spawn(process.execPath, ['-e', HOG_SOURCE], { stdio: 'ignore' }),
);
const killHogs = () => {
  for (const hog of hogs) if (hog.exitCode === null && hog.signalCode === null) hog.kill('SIGKILL');
};
process.on('exit', killHogs);

console.log(
  `test:busy: npm test with ${HOGS} busy loops (node -e, pids ${hogs.map((h) => h.pid).join(' ')}) ` +
    `competing for the ${availableParallelism()} cores`,
);

// Its own process group, so that a signal reaches every process of the run (npm, sh, the runner,
// the test files, tcpdump), not only npm, which would leave the runner behind.
const run = spawn('npm', ['test'], { stdio: 'inherit', detached: true });
let signalled = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (signalled) process.exit(128 + constants.signals[signal]); // a second one: stop waiting
    signalled = signal;
    killHogs();
    try {
      process.kill(-run.pid, signal);
    } catch {} // the group may be gone already
  });
}

run.once('error', (err) => {
  console.error(`test:busy: could not start npm test: ${err.message}`);
  process.exit(1);
});
run.once('close', (code, signal) => {
  killHogs();
  process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  if (signalled) process.exitCode = 128 + constants.signals[signalled];
});
