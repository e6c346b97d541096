// ref()/unref(): on real time, the stack keeps the process alive only while a socket or server is
// referenced, like libuv handles. Checked in a child process (does it exit by itself?).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const script = (unref: boolean) => `
import { createSegmentPipe } from './src/socket/segment-pipe.ts';
import { Stack } from './src/socket/stack.ts';
import { RealClock } from './src/link/clock.ts';
const clock = new RealClock(true);
const pipe = createSegmentPipe(clock, { delay: 1 });
// Nobody answers on side a: the client keeps retransmitting its SYN (timers pending).
pipe.a.onTcp(() => {});
const stack = new Stack({ iface: pipe.b, clock });
const socket = stack.connect({ host: '10.0.0.1', port: 80 });
socket.on('error', () => {});
${unref ? 'socket.unref();' : 'setTimeout(() => { console.log("still alive"); process.exit(0); }, 1500).unref();'}
`;

function run(unref: boolean) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(unref)], {
    cwd: new URL('../../../', import.meta.url).pathname,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test('an unref()ed connecting socket does not keep the process alive', () => {
  const r = run(true);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
});

test('a referenced connecting socket keeps the process alive', () => {
  const r = run(false);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'still alive');
});
