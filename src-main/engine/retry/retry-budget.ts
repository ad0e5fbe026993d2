/**
 * Keeps retries a bounded share of a provider's traffic (the token-bucket retry budget of
 * Finagle and gRPC): every first attempt deposits `ratio` of a token, every retry withdraws one.
 * `minimum` tokens are always there, so a quiet provider can still retry a few times.
 */
export class RetryBudget {
  private balance: number;

  constructor(
    private readonly ratio = 0.2,
    minimum = 10,
    private readonly maximum = 100,
  ) {
    this.balance = minimum;
  }

  deposit(): void {
    this.balance = Math.min(this.maximum, this.balance + this.ratio);
  }

  tryWithdraw(): boolean {
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }

  get available(): number {
    return this.balance;
  }
}
