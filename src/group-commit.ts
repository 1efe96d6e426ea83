// Group commit: writes asked for while one is in flight go together in the next, as one statement (one
// commit). Each caller's promise settles only when the statement holding its item has committed, so a
// message is still recorded before it is answered. A failed statement is tried again item by item, so one
// bad item fails alone and a write that cannot be made (the database is down) fails every caller.

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<I, O> {
  private readonly write: (items: I[]) => Promise<O[]>;
  private readonly maxItems: number;
  private waiting: Waiting<I, O>[] = [];
  private running = false;

  constructor(write: (items: I[]) => Promise<O[]>, maxItems = 200) {
    this.write = write;
    this.maxItems = maxItems;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        // After this turn of the event loop, so the items asked for in it go in the same statement.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxItems);
      try {
        const out = await this.write(batch.map((w) => w.item));
        for (const [i, w] of batch.entries()) w.resolve(out[i] as O);
      } catch (err) {
        if (batch.length === 1) batch[0]!.reject(err);
        else
          await Promise.all(
            batch.map((w) => this.write([w.item]).then((o) => w.resolve(o[0] as O), w.reject)),
          );
      }
    }
    this.running = false;
  }
}
