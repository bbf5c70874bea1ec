// The chat model port of the web app. Routes depend on the interface; the local implementation answers
// deterministically (same input, same answer and token counts), so the app runs with no AI provider
// account and tests can assert on answers. A real provider implements the same interface.

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface ChatCompletion {
  text: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface ChatModel {
  readonly provider: string;
  readonly model: string;
  /** Answers the last user turn given the earlier turns. */
  complete(turns: readonly ChatTurn[], options?: { signal?: AbortSignal }): Promise<ChatCompletion>;
}

/** A rough token count (about four characters per token), the same for a given text every time. */
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

export const LOCAL_CHAT_PROVIDER = 'mentora-local';
export const LOCAL_CHAT_MODEL = 'echo-tutor-1';

/**
 * A deterministic tutor: it restates the question and says how much context it had. No network, no
 * randomness, no clock.
 */
export function createLocalChatModel(): ChatModel {
  return {
    provider: LOCAL_CHAT_PROVIDER,
    model: LOCAL_CHAT_MODEL,
    async complete(turns) {
      const last = [...turns].reverse().find((t) => t.role === 'user');
      const question = (last?.content ?? '').trim().replace(/\s+/g, ' ');
      const earlier = turns.length - 1;
      const text =
        `You asked: "${question.length > 200 ? `${question.slice(0, 200)}…` : question}". ` +
        (earlier > 0
          ? `Building on our previous ${earlier} message${earlier === 1 ? '' : 's'}, `
          : 'To start, ') +
        'look at the key idea in the video, then try to explain it in your own words.';
      return {
        text,
        provider: LOCAL_CHAT_PROVIDER,
        model: LOCAL_CHAT_MODEL,
        inputTokens: turns.reduce((n, t) => n + estimateTokens(t.content), 0),
        outputTokens: estimateTokens(text),
      };
    },
  };
}
