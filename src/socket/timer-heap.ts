// An indexed binary min-heap of "when must this connection be polled next". Each item remembers its
// position, so updating or removing one connection's deadline is O(log n) and the earliest deadline
// over all connections is O(1): the stack arms a single clock timer for it.

export interface HeapItem {
  /** Absolute time (ms) this item is due; Infinity means "not in the heap". */
  due: number;
  /** Position in the heap array, -1 when absent. Owned by the heap. */
  heapIndex: number;
}

export class TimerHeap<T extends HeapItem> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Earliest due time, Infinity when empty. */
  peekDue(): number {
    return this.items.length > 0 ? this.items[0].due : Number.POSITIVE_INFINITY;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  /** Set an item's deadline: inserts, moves or (for Infinity) removes it. */
  schedule(item: T, due: number): void {
    if (!(due < Number.POSITIVE_INFINITY)) {
      this.remove(item);
      item.due = Number.POSITIVE_INFINITY;
      return;
    }
    const old = item.due;
    item.due = due;
    if (item.heapIndex < 0) {
      item.heapIndex = this.items.length;
      this.items.push(item);
      this.up(item.heapIndex);
    } else if (due < old) {
      this.up(item.heapIndex);
    } else if (due > old) {
      this.down(item.heapIndex);
    }
  }

  remove(item: T): void {
    const i = item.heapIndex;
    if (i < 0) return;
    const last = this.items.pop() as T;
    item.heapIndex = -1;
    if (i < this.items.length) {
      this.items[i] = last;
      last.heapIndex = i;
      this.up(i);
      this.down(last.heapIndex);
    }
  }

  /** Remove and return the earliest item if it is due at or before `now`. */
  popDue(now: number): T | undefined {
    const top = this.items[0];
    if (top === undefined || top.due > now) return undefined;
    this.remove(top);
    top.due = Number.POSITIVE_INFINITY;
    return top;
  }

  private up(start: number): void {
    const items = this.items;
    let i = start;
    const item = items[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent].due <= item.due) break;
      items[i] = items[parent];
      items[i].heapIndex = i;
      i = parent;
    }
    items[i] = item;
    item.heapIndex = i;
  }

  private down(start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    const item = items[i];
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && items[right].due < items[left].due ? right : left;
      if (items[child].due >= item.due) break;
      items[i] = items[child];
      items[i].heapIndex = i;
      i = child;
    }
    items[i] = item;
    item.heapIndex = i;
  }
}
