// Segmentation offload on the real kernel (root; run one file at a time): `synack serve` on the TAP
// writes TCP super-frames with a vnet header (gso_type, gso_size, csum_start, NEEDS_CSUM); the
// kernel routes them to the client namespace and, because the server namespace's veth to the
// client has TSO and checksum offload switched off here, cuts them into MTU-sized segments with
// full checksums on the way. tcpdump on the client's side sees only such segments, each checksum
// correct, and curl gets the file exact; our own capture shows the super-frames we wrote.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { analyzeCaptureFile } from '../../../src/analysis/index.js';
import { Lab } from '../../../src/lab/lab.js';
import { CLIENT_LINK, LAB_FILES, LAB_NAMESPACES, LAB_PATHS, TAP_LINK } from '../../../src/lab/plan.js';
import { startCli, stopChild } from '../app/app-helpers.js';
import { curlFromClient } from '../lab/lab-helpers.js';

const SRV = LAB_NAMESPACES.server;
const CLI = LAB_NAMESPACES.client;
const PORT = 8085;
const FILE = LAB_FILES.find((f) => f.name === '10m.bin')!;
/** Generous: tcpdump starting on a busy 2-core machine. */
const TCPDUMP_READY_MS = 20_000;
/** Generous: our FIN follows curl's close within milliseconds on an idle machine. */
const FIN_DEADLINE_MS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'synack-tso-'));
let lab: Lab;

const ethtool = (state: 'on' | 'off') =>
  spawnSync('ip', [
    'netns',
    'exec',
    SRV,
    'ethtool',
    '-K',
    CLIENT_LINK.server.ifname,
    'tso',
    state,
    'gso',
    state,
    'tx',
    state,
  ]);

before(async () => {
  lab = await Lab.up();
  assert.equal(ethtool('off').status, 0, 'ethtool -K in the server namespace');
});
after(async () => {
  ethtool('on');
  await lab?.down();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits (up to FIN_DEADLINE_MS) until the capture holds our FIN: every segment before it is in. */
async function finCaptured(file: string): Promise<void> {
  const deadline = Date.now() + FIN_DEADLINE_MS;
  for (;;) {
    const r = spawnSync('tcpdump', ['-r', file, '-n', 'tcp[tcpflags] & tcp-fin != 0'], { encoding: 'utf8' });
    if (r.stdout.trim() !== '' || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** tcpdump in the client namespace, writing a pcap (a pipe would fill while curl runs). */
function startTcpdump(file: string) {
  const filter = ['src', TAP_LINK.stack.ipv4, 'and', 'tcp', 'port', String(PORT)];
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      CLI,
      'tcpdump',
      '-i',
      CLIENT_LINK.client.ifname,
      '-n',
      '-B',
      '16384',
      '-U',
      '-w',
      file,
      ...filter,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tcpdump did not start')), TCPDUMP_READY_MS);
    child.stderr.on('data', (b: Buffer) => {
      if (/listening on/.test(b.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const stop = async () => {
    await finCaptured(file);
    return new Promise<string>((resolve) => {
      child.once('close', () => {
        const read = spawnSync('tcpdump', ['-r', file, '-n', '-vv'], {
          encoding: 'utf8',
          maxBuffer: 64 << 20,
        });
        resolve(read.stdout);
      });
      child.kill('SIGINT');
    });
  };
  return { ready, stop };
}

test('super-frames we write reach the peer as MTU-sized segments with correct checksums', async () => {
  const pcap = join(dir, 'serve.pcap');
  const serve = await startCli(
    ['serve', '--port', String(PORT), '--dir', LAB_PATHS.wwwDir, '--pcap', pcap],
    /try: curl/,
  );
  const dump = startTcpdump(join(dir, 'peer.pcap'));
  let text: string;
  let fetched: Awaited<ReturnType<typeof curlFromClient>>;
  try {
    await dump.ready;
    fetched = await curlFromClient([`http://${TAP_LINK.stack.ipv4}:${PORT}/${FILE.name}`]);
  } finally {
    text = await dump.stop();
    await stopChild(serve.child);
  }
  assert.equal(fetched.status, 0, fetched.stderr);
  assert.equal(fetched.sha256, FILE.sha256);
  // What we wrote: TCP super-frames longer than the MTU.
  const ours = analyzeCaptureFile(pcap).packets.filter((p) => !p.fromClient && p.info.payloadLength > 0);
  const largest = Math.max(...ours.map((p) => p.info.payloadLength));
  assert.ok(largest > 10 * 1448, `our largest segment carried ${largest} bytes`);
  // What the peer saw: one line per segment (tcpdump -vv prints the IP header on its own line).
  const segments = [...text.matchAll(/cksum 0x[0-9a-f]+ \(([^)]*)\).*?length (\d+)/g)];
  const data = segments.filter((m) => Number(m[2]) > 0);
  const carried = data.reduce((sum, m) => sum + Number(m[2]), 0);
  assert.ok(carried >= FILE.size, `${data.length} data segments at the peer carried ${carried} bytes`);
  assert.deepEqual(
    segments.filter((m) => m[1] !== 'correct').map((m) => m[0]),
    [],
    'every checksum correct',
  );
  const biggest = Math.max(...data.map((m) => Number(m[2])));
  assert.ok(biggest <= 1460, `every segment fits the MTU (largest payload ${biggest})`);
});
