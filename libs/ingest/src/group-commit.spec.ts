import { GroupCommit } from './group-commit';

/** A flush that records its batches and completes only when the test says so. */
function controlledFlush<T>() {
  const calls: { items: T[]; resolve: () => void; reject: (err: Error) => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const flush = (items: T[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      active++;
      maxActive = Math.max(maxActive, active);
      const finish = (fn: () => void) => () => {
        active--;
        fn();
      };
      calls.push({ items, resolve: finish(resolve), reject: (err) => finish(() => reject(err))() });
    });
  return {
    flush,
    calls,
    batches: () => calls.map((c) => c.items),
    get active() {
      return active;
    },
    get maxActive() {
      return maxActive;
    },
  };
}

/** Lets pending promise callbacks (then/catch) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks how each submit ended. */
function track(p: Promise<void>): { state: 'pending' | 'resolved' | 'rejected'; error?: Error } {
  const t: { state: 'pending' | 'resolved' | 'rejected'; error?: Error } = { state: 'pending' };
  p.then(
    () => (t.state = 'resolved'),
    (err: Error) => {
      t.state = 'rejected';
      t.error = err;
    },
  );
  return t;
}

describe('GroupCommit', () => {
  it('flushes a lone item at once, alone', async () => {
    const f = controlledFlush<number>();
    const gc = new GroupCommit<number>(f.flush);
    const t = track(gc.submit(1));
    expect(f.batches()).toEqual([[1]]);
    await settle();
    expect(t.state).toBe('pending');
    f.calls[0].resolve();
    await settle();
    expect(t.state).toBe('resolved');
  });

  it('gathers the items submitted while a flush is in flight into the next flush', async () => {
    const f = controlledFlush<number>();
    const gc = new GroupCommit<number>(f.flush);
    const first = track(gc.submit(1));
    const later = [2, 3, 4].map((n) => track(gc.submit(n)));
    expect(f.batches()).toEqual([[1]]);
    expect(gc.waiting).toBe(3);

    f.calls[0].resolve();
    await settle();
    expect(first.state).toBe('resolved');
    expect(later.map((t) => t.state)).toEqual(['pending', 'pending', 'pending']);
    expect(f.batches()).toEqual([[1], [2, 3, 4]]);
    expect(gc.waiting).toBe(0);

    f.calls[1].resolve();
    await settle();
    expect(later.map((t) => t.state)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(f.calls).toHaveLength(2);
  });

  it.each([1, 2, 3])('runs at most maxInFlight = %p flushes at once', async (maxInFlight) => {
    const f = controlledFlush<number>();
    const gc = new GroupCommit<number>(f.flush, maxInFlight);
    const items = Array.from({ length: 10 }, (_, i) => i);
    const tracked = items.map((n) => track(gc.submit(n)));
    expect(f.active).toBe(maxInFlight);
    // the first maxInFlight items each flush alone, the rest wait
    expect(f.batches()).toEqual(items.slice(0, maxInFlight).map((n) => [n]));
    expect(gc.waiting).toBe(10 - maxInFlight);

    // complete flushes one at a time, oldest first, until every item is durable
    for (let next = 0; next < f.calls.length && next < 50; next++) {
      expect(f.active).toBeLessThanOrEqual(maxInFlight);
      f.calls[next].resolve();
      await settle();
    }
    expect(tracked.every((t) => t.state === 'resolved')).toBe(true);
    expect(f.maxActive).toBe(maxInFlight);
    expect(f.batches().flat()).toEqual(items);
  });

  it('starts a waiting batch as soon as one of the flushes in flight ends', async () => {
    const f = controlledFlush<string>();
    const gc = new GroupCommit<string>(f.flush, 2);
    gc.submit('a');
    gc.submit('b');
    gc.submit('c');
    gc.submit('d');
    expect(f.batches()).toEqual([['a'], ['b']]);
    f.calls[1].resolve();
    await settle();
    expect(f.batches()).toEqual([['a'], ['b'], ['c', 'd']]);
    expect(f.active).toBe(2);
  });

  it('splits the waiting items into batches of at most maxBatch', async () => {
    const f = controlledFlush<number>();
    const gc = new GroupCommit<number>(f.flush, 1, 3);
    const tracked = Array.from({ length: 9 }, (_, i) => track(gc.submit(i)));
    expect(f.batches()).toEqual([[0]]);
    for (let k = 0; k < 4; k++) {
      f.calls[k].resolve();
      await settle();
    }
    expect(f.batches()).toEqual([[0], [1, 2, 3], [4, 5, 6], [7, 8]]);
    expect(tracked.slice(0, 7).every((t) => t.state === 'resolved')).toBe(true);
    expect(tracked.slice(7).map((t) => t.state)).toEqual(['resolved', 'resolved']);
  });

  it('splits by maxBatch when several flushes may run', async () => {
    const f = controlledFlush<number>();
    const gc = new GroupCommit<number>(f.flush, 3, 2);
    [0, 1, 2, 3, 4, 5, 6, 7].forEach((n) => gc.submit(n));
    expect(f.batches()).toEqual([[0], [1], [2]]);
    expect(gc.waiting).toBe(5);
    for (let k = 0; k < 3; k++) f.calls[k].resolve();
    await settle();
    expect(f.batches().slice(3)).toEqual([[3, 4], [5, 6], [7]]);
    expect(f.active).toBe(3);
    expect(gc.waiting).toBe(0);
  });

  it('rejects exactly the items of a failing flush, and later items still flush', async () => {
    const f = controlledFlush<number>();
    const gc = new GroupCommit<number>(f.flush);
    const first = track(gc.submit(1));
    const failing = [2, 3].map((n) => track(gc.submit(n)));
    f.calls[0].resolve();
    await settle();
    expect(f.batches()).toEqual([[1], [2, 3]]);

    const after = [4, 5].map((n) => track(gc.submit(n)));
    const boom = new Error('spool is full');
    f.calls[1].reject(boom);
    await settle();
    expect(first.state).toBe('resolved');
    expect(failing).toEqual([
      { state: 'rejected', error: boom },
      { state: 'rejected', error: boom },
    ]);
    expect(after.map((t) => t.state)).toEqual(['pending', 'pending']);
    expect(f.batches()).toEqual([[1], [2, 3], [4, 5]]);

    f.calls[2].resolve();
    await settle();
    expect(after.map((t) => t.state)).toEqual(['resolved', 'resolved']);

    // and the pipe is still open afterwards
    const last = track(gc.submit(6));
    expect(f.batches()[3]).toEqual([6]);
    f.calls[3].resolve();
    await settle();
    expect(last.state).toBe('resolved');
  });

  it('keeps other flushes in flight unaffected when one fails', async () => {
    const f = controlledFlush<string>();
    const gc = new GroupCommit<string>(f.flush, 2);
    const a = track(gc.submit('a'));
    const b = track(gc.submit('b'));
    f.calls[0].reject(new Error('a failed'));
    await settle();
    expect(a.state).toBe('rejected');
    expect(a.error?.message).toBe('a failed');
    expect(b.state).toBe('pending');
    f.calls[1].resolve();
    await settle();
    expect(b.state).toBe('resolved');
  });
});
