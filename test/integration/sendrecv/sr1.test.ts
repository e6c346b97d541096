// sr1/sr against real Linux: a SYN from the stack's spare address (AF_PACKET on a veth into a
// namespace of our own) gets the kernel server's SYN-ACK, and tcpdump on the link sees no RST
// from our side; a ping sweep with sr() gets the kernel's echo replies. Root; run alone.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { openNetLink } from '../../../src/net/modes.js';
import { dissect, ICMP, IP, TCP } from '../../../src/packet/index.js';
import { readPcap } from '../../../src/packet/pcap.js';
import { sr, sr1 } from '../../../src/sendrecv/index.js';
import { startCapture } from '../../helpers/netns.js';
import { startHttpServer, vethNamespace } from './helpers.js';

const PORT = 8000;

test('sr1: SYN -> SYN-ACK from a kernel server; no RST from our host on the wire', async (t) => {
  const v = vethNamespace(t);
  await startHttpServer(t, v.netns, v.peerV4, PORT);
  const capture = await startCapture(t, { netns: v.netns, iface: 'eth0', filter: 'tcp' });
  const link = openNetLink({ iface: v.hostIf, ip: [`${v.spareV4}/24`] });
  t.after(() => link.close());
  const sport = randomInt(30000, 60001);
  const isn = randomInt(0, 2 ** 32);
  const syn = IP({ dst: v.peerV4 }).over(TCP({ sport, dport: PORT, flags: 'S', seq: isn }));
  const synAck = await sr1(syn, { link, timeout: 3, retry: 2 });
  assert.ok(synAck, 'a SYN-ACK came back');
  const tcp = synAck.get(TCP);
  assert.equal(tcp.flagStr, 'SA');
  assert.equal(tcp.ack, (isn + 1) >>> 0);
  assert.equal(tcp.sport, PORT);
  assert.equal(synAck.get(IP).src, v.peerV4);
  // Give a would-be RST time to show up, then look at the whole conversation on the wire.
  await new Promise((r) => setTimeout(r, 300));
  await capture.stop();
  const seen = [...readPcap(capture.path)].map((p) => p.get(TCP));
  assert.ok(
    seen.some((s) => s.flagStr === 'S' && s.sport === sport),
    'our SYN is on the wire',
  );
  assert.ok(
    seen.some((s) => s.flagStr === 'SA' && s.dport === sport),
    'the SYN-ACK is on the wire',
  );
  assert.deepEqual(
    seen.filter((s) => s.hasFlags('R')).map((s) => `${s.sport} > ${s.dport} ${s.flagStr}`),
    [],
    'nobody reset the connection',
  );
});

test('sr: a ping sweep matches each echo reply to its request; absent hosts stay unanswered', async (t) => {
  const v = vethNamespace(t);
  const link = openNetLink({ iface: v.hostIf, ip: [`${v.spareV4}/24`] });
  t.after(() => link.close());
  const absent = v.peerV4.replace(/\.2$/, '.77');
  const probes = [v.peerV4, absent].flatMap((dst) =>
    [1, 2].map((seq) => IP({ dst }).over(ICMP({ id: 0x5a, seq }))),
  );
  const res = await sr(probes, { link, timeout: 2 });
  const pairs = res.answered.map(
    ([s, r]) => `${s.get(IP).dst}#${s.get(ICMP).seq} <- ${r.get(IP).src}#${r.get(ICMP).seq}`,
  );
  assert.deepEqual(pairs.sort(), [`${v.peerV4}#1 <- ${v.peerV4}#1`, `${v.peerV4}#2 <- ${v.peerV4}#2`]);
  assert.deepEqual(
    res.unanswered.map((p) => p.get(IP).dst),
    [absent, absent],
  );
  for (const [, r] of res.answered) assert.equal(dissect(r.original as Uint8Array).get(ICMP).type, 0);
});
