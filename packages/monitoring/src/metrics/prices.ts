/** USD per 1 million tokens, for input (prompt) and output (completion) tokens. */
export interface AIPrice {
  input: number;
  output: number;
}

/** Prices by provider, then model: `{ openai: { 'gpt-4o': { input: 2.5, output: 10 } } }`. */
export type AIPriceTable = Record<string, Record<string, AIPrice>>;

/**
 * The standard (non-batch, non-cached) list prices the providers published for these models in 2025,
 * in USD per 1M tokens. Prices change and contracts differ: pass `prices` to `createMetrics` with your
 * own figures (they are merged over these, model by model). Embedding models have no output tokens.
 */
export const DEFAULT_AI_PRICES: Readonly<AIPriceTable> = Object.freeze({
  anthropic: {
    'claude-opus-4-1': { input: 15, output: 75 },
    'claude-opus-4': { input: 15, output: 75 },
    'claude-sonnet-4-5': { input: 3, output: 15 },
    'claude-sonnet-4': { input: 3, output: 15 },
    'claude-3-7-sonnet': { input: 3, output: 15 },
    'claude-3-5-sonnet': { input: 3, output: 15 },
    'claude-haiku-4-5': { input: 1, output: 5 },
    'claude-3-5-haiku': { input: 0.8, output: 4 },
    'claude-3-haiku': { input: 0.25, output: 1.25 },
  },
  openai: {
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'text-embedding-3-small': { input: 0.02, output: 0 },
    'text-embedding-3-large': { input: 0.13, output: 0 },
    'text-embedding-ada-002': { input: 0.1, output: 0 },
  },
});

/**
 * Looks prices up by provider and model. A dated or suffixed model name falls back to the longest
 * listed name it starts with, followed by `-` (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`, never
 * `gpt-4o`). Provider names are case-insensitive. Answers are cached per (provider, model).
 */
export class PriceBook {
  readonly #table = new Map<string, Map<string, AIPrice>>();
  // provider → model → price (null: not listed). Nested, so a lookup hashes the caller's strings (often
  // constants with cached hashes) instead of building a combined key on every call.
  readonly #cache = new Map<string, Map<string, AIPrice | null>>();
  #cached = 0;

  constructor(...tables: (AIPriceTable | undefined)[]) {
    for (const table of tables) {
      for (const [provider, models] of Object.entries(table ?? {})) {
        const key = provider.toLowerCase();
        const byModel = this.#table.get(key) ?? new Map<string, AIPrice>();
        for (const [model, price] of Object.entries(models)) byModel.set(model, price);
        this.#table.set(key, byModel);
      }
    }
  }

  /** The price of a model, or undefined when it is not listed. */
  find(provider: string, model: string): AIPrice | undefined {
    let byModel = this.#cache.get(provider);
    const hit = byModel?.get(model);
    if (hit !== undefined) return hit ?? undefined;
    const found = this.#lookup(provider.toLowerCase(), model) ?? null;
    // Bounded: model names can come from data.
    if (this.#cached >= 1_024) {
      this.#cache.clear();
      this.#cached = 0;
      byModel = undefined;
    }
    if (byModel === undefined) {
      byModel = new Map();
      this.#cache.set(provider, byModel);
    }
    byModel.set(model, found);
    this.#cached += 1;
    return found ?? undefined;
  }

  #lookup(provider: string, model: string): AIPrice | undefined {
    const models = this.#table.get(provider);
    if (models === undefined) return undefined;
    const exact = models.get(model);
    if (exact !== undefined) return exact;
    let best: string | undefined;
    for (const name of models.keys()) {
      if (model.startsWith(`${name}-`) && (best === undefined || name.length > best.length)) best = name;
    }
    return best === undefined ? undefined : models.get(best);
  }
}

/** Cost in USD of one call, rounded to the column's precision (numeric(12, 6)). */
export function aiCostUsd(price: AIPrice, inputTokens: number, outputTokens: number): number {
  const cost = (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
  return Math.round(cost * 1_000_000) / 1_000_000;
}
