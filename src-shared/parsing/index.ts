export { answerSchema } from './answer-schema';
export { findReasoning, type ReasoningBlock } from './capture-reasoning';
export { normaliseKey } from './coerce-answer';
export { findJsonCandidates, type JsonCandidate } from './extract-json';
export type {
  ParseErrorClass,
  ParseOutcome,
  ParseStepTrace,
  Reply,
  TraceStep,
} from './parse-outcome';
export { type ParseContext, parseReply } from './parse-reply';
