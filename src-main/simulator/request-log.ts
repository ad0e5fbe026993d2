import type { FaultKind } from '../../src-shared/simulator';

export type RequestOutcome = 'ok' | 'bad-request' | FaultKind;

export interface LoggedUsage {
  prompt_tokens: number;
  completion_tokens: number;
  reasoning_tokens?: number;
}

/** One chat-completion request, logged once, with the usage the server sent to the client. */
export interface RequestLogEntry {
  seq: number;
  /** Epoch ms when the request arrived. */
  at: number;
  /** The provider it was served as (URL prefix, else the model's provider); null if unknown. */
  provider: string | null;
  model: string;
  stream: boolean;
  /** HTTP status sent; 0 when no status line was sent (reset, hang). */
  status: number;
  outcome: RequestOutcome;
  /** Id of the injected fault applied, `profile` for a personality's own fault, else null. */
  faultId: string | null;
  /** Usage as reported to the client; null when none was sent (error, cut, no include_usage). */
  usage: LoggedUsage | null;
  finishReason: string | null;
  /** True when the client went away before the server finished. */
  aborted: boolean;
  durationMs: number;
}

/** A fixed-size ring buffer: the newest `capacity` entries, oldest first when read. */
export class RequestLog {
  private readonly entries: (RequestLogEntry | undefined)[];
  private next = 0;
  private size = 0;

  constructor(readonly capacity = 100_000) {
    this.entries = new Array(capacity);
  }

  push(entry: RequestLogEntry): void {
    this.entries[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  list(): RequestLogEntry[] {
    const out: RequestLogEntry[] = new Array(this.size);
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let index = 0; index < this.size; index++) {
      out[index] = this.entries[(start + index) % this.capacity] as RequestLogEntry;
    }
    return out;
  }

  reset(): void {
    this.entries.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}
