import { seededBytes } from './hash.js';
import { type AICallOptions, LOCAL_AI_PROVIDER, localTokens } from './usage.js';

/** Dimension of `video_chunks.embedding` (vector(1536)). */
export const EMBEDDING_DIMENSIONS = 1536;

/** Text embeddings for retrieval. Throws `AIAPIError` on provider failures. */
export interface EmbeddingProvider {
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[], options?: AICallOptions): Promise<number[][]>;
}

/**
 * A deterministic stand-in: each text maps to a unit vector derived from its SHA-256 stream, so the same
 * text always embeds the same way (equal texts have similarity 1) and no provider is called. Reports
 * usage as provider `local`, model `local-embedding`.
 */
export function createLocalEmbeddings(options: { dimensions?: number } = {}): EmbeddingProvider {
  const dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
  return {
    dimensions,
    async embed(texts, callOptions) {
      callOptions?.onUsage?.({
        provider: LOCAL_AI_PROVIDER,
        model: 'local-embedding',
        inputTokens: texts.reduce((sum, text) => sum + localTokens(text), 0),
        outputTokens: 0,
      });
      return texts.map((text) => {
        const bytes = seededBytes(text, dimensions);
        const raw = Array.from(bytes, (b) => b / 127.5 - 1);
        const norm = Math.sqrt(raw.reduce((sum, v) => sum + v * v, 0)) || 1;
        // Six decimals keep the JSON small and round-trip exactly through float4 storage well enough.
        return raw.map((v) => Math.round((v / norm) * 1e6) / 1e6);
      });
    },
  };
}
