/** What the customer must do next for a payment waiting on them (WAITING_INPUT). */
export type NextAction =
  | { type: 'REDIRECT'; url: string; method: 'GET' | 'POST'; params: Record<string, string> }
  | { type: 'DISPLAY_DETAILS'; details: Record<string, unknown>; instructions?: string }
  | { type: 'ACTIVATE'; fields: string[]; details?: Record<string, unknown> };
