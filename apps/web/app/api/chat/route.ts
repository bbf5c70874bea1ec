import { randomUUID } from 'node:crypto';
import { CacheKeys, CacheKeyTTL } from '@mentora/cache/mentora';
import { NotFoundError } from '@mentora/errors';
import { readJson, requireFeature } from '@mentora/http';
import type { ChatTurn } from '../../../src/ai';
import { getInfrastructure, withInfrastructure } from '../../../src/infrastructure';
import { chatRequest } from '../../../src/schemas';

export const dynamic = 'force-dynamic';

/** What the cache keeps per chat session: its owner and the last turns (the model's context). */
interface ChatSession {
  userId: string;
  turns: ChatTurn[];
}

/** Turns kept as context: enough for a follow-up question, bounded so a session cannot grow the cache. */
const MAX_TURNS = 20;

export const POST = withInfrastructure(
  async (request, ctx) => {
    const { cache, chat, metrics } = getInfrastructure();
    const user = ctx.user;
    if (!user) throw new Error('auth: required guarantees a user');
    requireFeature(ctx, 'ai_chat');
    const body = await readJson(request, chatRequest, { maxBytes: 16 * 1024 });

    // The session context lives in the cache (it expires with the conversation). A session id names
    // one user's session: another user's id reads as unknown, the same as an expired one.
    const sessionId = body.sessionId ?? randomUUID();
    const key = CacheKeys.chatHistory(sessionId);
    let session: ChatSession = { userId: user.id, turns: [] };
    if (body.sessionId) {
      const cached = await cache.get<ChatSession>(key);
      if (!cached || cached.userId !== user.id) {
        throw new NotFoundError('Chat session not found or expired', { resource: 'chat_session' });
      }
      session = cached;
    }
    const turns: ChatTurn[] = [...session.turns, { role: 'user', content: body.message }];

    const started = performance.now();
    const answer = await chat.complete(turns, { signal: request.signal });
    metrics.recordAIUsage({
      provider: answer.provider,
      model: answer.model,
      operation: 'chat',
      inputTokens: answer.inputTokens,
      outputTokens: answer.outputTokens,
      latencyMs: performance.now() - started,
      userId: user.id,
      requestId: ctx.requestId,
    });

    const next = [...turns, { role: 'assistant' as const, content: answer.text }].slice(-MAX_TURNS);
    await cache.set(key, { userId: user.id, turns: next } satisfies ChatSession, CacheKeyTTL.chatHistory);
    return {
      sessionId,
      answer: answer.text,
      usage: { inputTokens: answer.inputTokens, outputTokens: answer.outputTokens },
    };
  },
  {
    rateLimit: { enabled: true, endpoint: 'chat', cost: 1 },
    logging: true,
    errorTracking: true,
    auth: 'required',
  },
);
