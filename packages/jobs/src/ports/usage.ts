// What an AI provider reports about one call, so a job can record it to ai_api_usage without knowing
// which provider sits behind a port.

/** Tokens one provider call used, as the provider reports them. */
export interface AIUsageReport {
  /** The price table's provider key (`openai`, `anthropic`, … ; `local` for the local ports). */
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

/** The optional last argument of every AI port method. */
export interface AICallOptions {
  /** Called once per provider call with the tokens it used (a port that cannot tell does not call it). */
  onUsage?: (usage: AIUsageReport) => void;
}

/** The provider name the local ports report (priced at zero by `LOCAL_AI_PRICES`). */
export const LOCAL_AI_PROVIDER = 'local';

/** Zero prices for the local ports' models: pass to `createMetrics({ prices })` next to your own. */
export const LOCAL_AI_PRICES = Object.freeze({
  [LOCAL_AI_PROVIDER]: Object.freeze({
    'local-embedding': Object.freeze({ input: 0, output: 0 }),
    'local-quiz': Object.freeze({ input: 0, output: 0 }),
    'local-transcription': Object.freeze({ input: 0, output: 0 }),
  }),
});

/** The local ports' token count: one token per 4 characters, rounded up (deterministic, not a tokenizer). */
export function localTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
