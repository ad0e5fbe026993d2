/**
 * Requests-per-minute and tokens-per-minute token buckets for one provider. `acquire` waits (in
 * arrival order) until both buckets hold enough, then takes from both. A request larger than a
 * bucket's whole capacity is let through once the bucket is full, so it can never wait forever.
 */
export class RateLimiter {
  private requests: number;
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly rpm: number | undefined,
    private readonly tpm: number | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    this.requests = rpm ?? 0;
    this.tokens = tpm ?? 0;
    this.last = now();
  }

  get unlimited(): boolean {
    return this.rpm === undefined && this.tpm === undefined;
  }

  /** Resolves with how long the caller waited, in ms. */
  acquire(tokens: number): Promise<number> {
    if (this.unlimited) return Promise.resolve(0);
    const started = this.now();
    const turn = this.queue.then(() => this.take(tokens));
    this.queue = turn.catch(() => undefined);
    return turn.then(() => this.now() - started);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = now - this.last;
    this.last = now;
    if (this.rpm !== undefined) this.requests = Math.min(this.rpm, this.requests + (elapsed * this.rpm) / 60_000);
    if (this.tpm !== undefined) this.tokens = Math.min(this.tpm, this.tokens + (elapsed * this.tpm) / 60_000);
  }

  private async take(tokens: number): Promise<void> {
    for (;;) {
      this.refill();
      const needRequests = this.rpm === undefined ? 0 : Math.max(0, 1 - this.requests);
      const wantTokens = this.tpm === undefined ? 0 : Math.min(tokens, this.tpm);
      const needTokens = this.tpm === undefined ? 0 : Math.max(0, wantTokens - this.tokens);
      if (needRequests <= 0 && needTokens <= 0) {
        if (this.rpm !== undefined) this.requests -= 1;
        if (this.tpm !== undefined) this.tokens -= wantTokens;
        return;
      }
      const waitRequests = this.rpm === undefined ? 0 : (needRequests * 60_000) / this.rpm;
      const waitTokens = this.tpm === undefined ? 0 : (needTokens * 60_000) / this.tpm;
      await this.sleep(Math.max(1, Math.ceil(Math.max(waitRequests, waitTokens))));
    }
  }
}
