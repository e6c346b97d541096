// Kernel-side loss, as root: `lab up --loss N%` drops about N% of packets in each direction at the
// server (nftables numgen), measured with a bounded ping flood from the client namespace.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLIENT_LINK, LAB_NAMESPACES } from '../../../src/lab/plan.js';
import { run } from '../../../src/lab/sys.js';
import { runCli } from '../../helpers/cli.js';
import { claimLabForTest, labLeftovers } from './lab-helpers.js';

claimLabForTest({ before, after });

/** Loss percent of a ping flood from the client to the server (bounded: -c and a -w deadline). */
function pingLoss(count: number): number {
  const out = run(['ping', '-f', '-q', '-c', String(count), '-w', '60', CLIENT_LINK.server.ipv4], {
    netns: LAB_NAMESPACES.client,
    timeoutMs: 90_000,
  }).toString();
  const m = /(\d+) packets transmitted, (\d+) received/.exec(out);
  assert.ok(m, out);
  return (100 * (Number(m[1]) - Number(m[2]))) / Number(m[1]);
}

function up(args: string[]): string {
  const r = runCli(['lab', 'up', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('--loss 10% drops about 10% each way: a ping round trip loses about 19%', () => {
  assert.match(up(['--loss', '10%']), /loss: 10% \(both\)/);
  // 1 - 0.9^2 = 19%; with 1000 pings one standard deviation is 1.2 points.
  const loss = pingLoss(1000);
  assert.ok(loss > 12 && loss < 27, `round-trip loss ${loss}%`);
  const status = runCli(['lab', 'status', '--no-verify']);
  assert.match(status.stdout, /loss: 10% \(both, nft inet synack_lab in synack-srv\)/);
});

test('--loss-direction to-server drops only on the way in', () => {
  up(['--loss', '10', '--loss-direction', 'to-server']);
  const loss = pingLoss(1000);
  assert.ok(loss > 5 && loss < 16, `round-trip loss ${loss}%`);
});

test('up without --loss removes the loss', () => {
  assert.match(up([]), /loss: none/);
  assert.equal(pingLoss(300), 0);
  assert.throws(() => run(['nft', 'list', 'table', 'inet', 'synack_lab'], { netns: LAB_NAMESPACES.server }));
});

test('a loss that is not a percentage is refused with a hint', () => {
  for (const bad of ['abc', '0', '150%', '-5']) {
    const r = runCli(['lab', 'up', '--loss', bad]);
    assert.equal(r.status, 2, bad);
    assert.match(r.stderr, /not a percentage/);
  }
});

test('down with loss set leaves nothing, not even the nft table', () => {
  up(['--loss', '5%']);
  const down = runCli(['lab', 'down']);
  assert.equal(down.status, 0, down.stderr + down.stdout);
  assert.deepEqual(labLeftovers(), []);
});
