export { classifyStatus, isNetworkError } from './classify-status';
export { type ChatMessage, type ChatOutcome, type ChatRequestBody, type ChatUsage, type Deadlines, sendChat, type SendOptions } from './chat-client';
export { parseRetryAfter } from './retry-after';
