import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { createMemoryWire } from '../../../src/link/memory-wire.js';
import { PcapTap } from '../../../src/link/pcap-tap.js';
import { readPcap } from '../../../src/wire/pcap.js';

test('records frames in both directions with their times and the right link type', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'synack-pcap-tap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const linkType of ['ethernet', 'ip'] as const) {
    const path = join(dir, `${linkType}.pcap`);
    const clock = new VirtualClock(1000);
    const wire = createMemoryWire(clock, { delay: 2.5, linkType });
    const tap = new PcapTap(wire.a, path, { clock, epochAt0: 1_700_000_000_000 });
    let received = 0;
    tap.setReceiver(() => received++);
    wire.b.setReceiver((f) => wire.b.transmit(f.map((x) => x + 1)));
    tap.transmit(Uint8Array.of(1, 2, 3));
    clock.runUntilIdle();
    tap.close();
    tap.close();
    assert.equal(received, 1);
    const records = [...readPcap(new Uint8Array(readFileSync(path)))];
    assert.equal(records.length, 2);
    assert.deepEqual([...records[0].data], [1, 2, 3]);
    assert.deepEqual([...records[1].data], [2, 3, 4]);
    assert.equal(records[0].linkType, linkType === 'ethernet' ? 1 : 101);
    assert.equal(records[0].seconds, 1_700_000_001);
    assert.equal(records[0].nanoseconds, 0);
    assert.equal(records[1].nanoseconds, 5_000_000, 'in frame stamped at its arrival, 5 ms later');
  }
});
