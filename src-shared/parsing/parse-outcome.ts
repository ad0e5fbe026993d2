export type ParseErrorClass = 'empty_response' | 'parse_error' | 'schema_error';

export type TraceStep =
  | 'capture-reasoning'
  | 'strip-fences'
  | 'extract-json'
  | 'repair-json'
  | 'coerce'
  | 'parse'
  | 'validate';

/** What one step did, for the console's call detail view. */
export interface ParseStepTrace {
  step: TraceStep;
  outcome: 'applied' | 'unchanged' | 'failed';
  detail: string;
}

export type ParseOutcome =
  | {
      ok: true;
      value: unknown;
      /** Every repair applied to reach the value, e.g. `rename:home_score->homeScore`. */
      coercions: string[];
      reasoning: string | undefined;
      steps: ParseStepTrace[];
    }
  | {
      ok: false;
      error: { class: ParseErrorClass; message: string };
      reasoning: string | undefined;
      steps: ParseStepTrace[];
    };

export interface Reply {
  content: string;
  /** A separate reasoning field from the API (`reasoning_content`, `reasoning`). */
  reasoning?: string | undefined;
}

/** Short, single-line quote of a piece of reply text for error messages. */
export function excerpt(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > length ? `${flat.slice(0, length - 3)}...` : flat);
}
