/**
 * Batches concurrent requests into one durable operation: while a flush is in flight, new items wait and go
 * together in the next one. At low load each item flushes alone (lowest latency); under load batches grow
 * (highest throughput). `maxInFlight` flushes may run at once.
 */
export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (err: Error) => void }[] = [];
  private inFlight = 0;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxInFlight = 1,
    private readonly maxBatch = 5000,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  get waiting(): number {
    return this.queue.length;
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.inFlight++;
      this.flush(batch.map((b) => b.item)).then(
        () => {
          for (const b of batch) b.resolve();
          this.done();
        },
        (err: Error) => {
          for (const b of batch) b.reject(err);
          this.done();
        },
      );
    }
  }

  private done(): void {
    this.inFlight--;
    this.pump();
  }
}
