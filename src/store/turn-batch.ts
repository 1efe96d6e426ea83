// Calls made in the same turn of the event loop, sent together: the messages of one burst of callbacks
// share one script call on the store instead of one each, so the client builds one command and the
// server runs one script for all of them. Each caller still gets its own result, in order; when the one
// call fails, every caller in it fails (as each would have on its own against a store that is down).

interface Waiting<I, O> {
  item: I;
  resolve: (out: O) => void;
  reject: (err: unknown) => void;
}

export class TurnBatch<I, O> {
  private readonly send: (items: I[]) => Promise<O[]>;
  private readonly maxItems: number;
  private waiting: Waiting<I, O>[] = [];

  constructor(send: (items: I[]) => Promise<O[]>, maxItems = 200) {
    this.send = send;
    this.maxItems = maxItems;
  }

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // After this turn of the event loop, so the calls of every callback read in it go together.
      if (this.waiting.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const all = this.waiting;
    this.waiting = [];
    for (let start = 0; start < all.length; start += this.maxItems) {
      const batch = all.slice(start, start + this.maxItems);
      this.send(batch.map((w) => w.item)).then(
        (out) => {
          for (const [i, w] of batch.entries()) w.resolve(out[i] as O);
        },
        (err: unknown) => {
          for (const w of batch) w.reject(err);
        },
      );
    }
  }
}
