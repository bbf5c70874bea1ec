import { seededBytes } from './hash.js';

/** Dimension of `video_chunks.embedding` (vector(1536)). */
export const EMBEDDING_DIMENSIONS = 1536;

/** Text embeddings for retrieval. Throws `AIAPIError` on provider failures. */
export interface EmbeddingProvider {
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}

/**
 * A deterministic stand-in: each text maps to a unit vector derived from its SHA-256 stream, so the same
 * text always embeds the same way (equal texts have similarity 1) and no provider is called.
 */
export function createLocalEmbeddings(options: { dimensions?: number } = {}): EmbeddingProvider {
  const dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
  return {
    dimensions,
    async embed(texts) {
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
