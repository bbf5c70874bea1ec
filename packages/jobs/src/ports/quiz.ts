import { type AICallOptions, LOCAL_AI_PROVIDER, localTokens } from './usage.js';

export interface QuizQuestion {
  question: string;
  options: string[];
  /** Index of the right option in `options`. */
  answerIndex: number;
  explanation?: string;
  /** The transcript chunk the question is about. */
  chunkIndex?: number;
}

export interface QuizSource {
  videoId: string;
  title: string;
  /** The transcript chunks, in order. */
  chunks: ReadonlyArray<{ index: number; text: string }>;
  questionCount: number;
}

/** Writes quiz questions from a video's transcript. Throws `AIAPIError` on provider failures. */
export interface QuizGenerator {
  generate(source: QuizSource, options?: AICallOptions): Promise<QuizQuestion[]>;
}

/**
 * A deterministic stand-in: question n asks which passage comes from part n of the video, with the real
 * passage and three others as options (rotated so the answer is not always first). Reports usage as provider `local`, model `local-quiz`.
 */
export function createLocalQuizGenerator(): QuizGenerator {
  return {
    async generate({ title, chunks, questionCount }, callOptions) {
      if (chunks.length === 0) return [];
      const passages = chunks.map((c) => c.text.slice(0, 160));
      const questions: QuizQuestion[] = [];
      for (let n = 0; n < questionCount; n++) {
        const chunk = chunks[n % chunks.length] as { index: number; text: string };
        const correct = passages[n % passages.length] as string;
        const others = passages.filter((p) => p !== correct).slice(0, 3);
        while (others.length < 3) others.push(`None of the above (${others.length + 1})`);
        const answerIndex = n % 4;
        const options = [...others];
        options.splice(answerIndex, 0, correct);
        questions.push({
          question: `Which passage is from part ${chunk.index + 1} of "${title}"?`,
          options,
          answerIndex,
          chunkIndex: chunk.index,
        });
      }
      callOptions?.onUsage?.({
        provider: LOCAL_AI_PROVIDER,
        model: 'local-quiz',
        inputTokens: chunks.reduce((sum, c) => sum + localTokens(c.text), 0),
        outputTokens: localTokens(JSON.stringify(questions)),
      });
      return questions;
    },
  };
}
