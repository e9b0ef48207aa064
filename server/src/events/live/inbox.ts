export const OVERFLOW = Symbol('OVERFLOW');

/**
 * A bounded queue between a pub/sub callback (push) and one consumer (pull). When the consumer
 * falls too far behind, the queue is dropped and the consumer is told to catch up from the store
 * instead: memory stays bounded and nothing is lost.
 */
export class Inbox<T> {
  private items: T[] = [];
  private overflowed = false;
  private closed = false;
  private waiter?: (value: T | typeof OVERFLOW | null) => void;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.closed) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      return resolve(item);
    }
    if (this.overflowed) return;
    if (this.items.length >= this.capacity) {
      this.items = [];
      this.overflowed = true;
      return;
    }
    this.items.push(item);
  }

  /** Drops what is queued and has the consumer catch up from the store instead (messages may have been lost). */
  resync(): void {
    if (this.closed) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = undefined;
      return resolve(OVERFLOW);
    }
    this.items = [];
    this.overflowed = true;
  }

  /** The next item, OVERFLOW after items were dropped, or null once closed. */
  pull(): Promise<T | typeof OVERFLOW | null> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift()!);
    if (this.overflowed) {
      this.overflowed = false;
      return Promise.resolve(OVERFLOW);
    }
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): void {
    this.closed = true;
    this.items = [];
    this.waiter?.(null);
    this.waiter = undefined;
  }
}
