import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type HeapItem, TimerHeap } from '../../../src/socket/timer-heap.js';

interface Item extends HeapItem {
  id: number;
}

const item = (id: number): Item => ({ id, due: Number.POSITIVE_INFINITY, heapIndex: -1 });

test('popDue returns items in deadline order and only when due', () => {
  const heap = new TimerHeap<Item>();
  const items = [item(0), item(1), item(2)];
  heap.schedule(items[0], 30);
  heap.schedule(items[1], 10);
  heap.schedule(items[2], 20);
  assert.equal(heap.peekDue(), 10);
  assert.equal(heap.popDue(5), undefined);
  assert.equal(heap.popDue(25)?.id, 1);
  assert.equal(heap.popDue(25)?.id, 2);
  assert.equal(heap.popDue(25), undefined);
  assert.equal(heap.size, 1);
});

test('rescheduling to Infinity removes; rescheduling moves', () => {
  const heap = new TimerHeap<Item>();
  const x = item(1);
  const y = item(2);
  heap.schedule(x, 10);
  heap.schedule(y, 20);
  heap.schedule(x, 30);
  assert.equal(heap.peek()?.id, 2);
  heap.schedule(y, Number.POSITIVE_INFINITY);
  assert.equal(heap.size, 1);
  assert.equal(y.heapIndex, -1);
  assert.equal(heap.peekDue(), 30);
});

test('property: any sequence of schedule/remove keeps the minimum correct', () => {
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('schedule' as const),
      id: fc.nat(19),
      due: fc.integer({ min: 0, max: 1000 }),
    }),
    fc.record({ kind: fc.constant('remove' as const), id: fc.nat(19) }),
    fc.record({ kind: fc.constant('inf' as const), id: fc.nat(19) }),
  );
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const heap = new TimerHeap<Item>();
      const items = Array.from({ length: 20 }, (_, i) => item(i));
      const model = new Map<number, number>();
      for (const o of ops) {
        const it = items[o.id];
        if (o.kind === 'schedule') {
          heap.schedule(it, o.due);
          model.set(o.id, o.due);
        } else if (o.kind === 'remove') {
          heap.remove(it);
          it.due = Number.POSITIVE_INFINITY;
          model.delete(o.id);
        } else {
          heap.schedule(it, Number.POSITIVE_INFINITY);
          model.delete(o.id);
        }
        const min = model.size === 0 ? Number.POSITIVE_INFINITY : Math.min(...model.values());
        assert.equal(heap.peekDue(), min);
        assert.equal(heap.size, model.size);
      }
      const drained: number[] = [];
      while (heap.size > 0) {
        drained.push(heap.peekDue());
        heap.popDue(Number.MAX_VALUE);
      }
      assert.deepEqual(
        drained,
        [...model.values()].sort((p, q) => p - q),
      );
    }),
  );
});
