// The API's contract, run against the built app on each stack (embedded, and Postgres + Redis): answers,
// events, pagination, plan changes by webhook, and every bad input as a 4xx problem+json (never a 500).
import { randomUUID } from 'node:crypto';
import type { LocalSupabase } from '@mentora/db/testing';
import { createClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import type { EventApi } from './event-api.ts';
import { createCreator, createVisitor } from './fixtures.ts';
import { bearer, expectProblem, jsonRequest } from './http.ts';
import { now, signHs256, unsigned } from './tokens.ts';
import { signWhopDelivery } from './webhook.ts';

export interface ApiSuiteContext {
  stack: LocalSupabase;
  baseUrl: string;
  events: EventApi;
}

export function describeApi(name: string, get: () => ApiSuiteContext): void {
  describe(`${name}: API`, () => {
    const url = (path: string) => `${get().baseUrl}${path}`;
    const admin = () =>
      createClient(get().stack.url, get().stack.serviceRoleKey, { auth: { persistSession: false } });

    it('health, liveness and readiness answer; every response carries a request id', async () => {
      const health = await fetch(url('/api/health'));
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'healthy',
        checks: { database: { status: 'ok' }, cache: { status: 'ok' } },
      });
      expect((await fetch(url('/api/health/live'))).status).toBe(200);
      expect((await fetch(url('/api/health/ready'))).status).toBe(200);
      // A well-formed incoming id is kept; a malformed one is replaced.
      const kept = await fetch(url('/api/plans'), { headers: { 'x-request-id': 'req-test-0123456789' } });
      expect(kept.headers.get('x-request-id')).toBe('req-test-0123456789');
      const replaced = await fetch(url('/api/plans'), {
        headers: { 'x-request-id': 'bad id\u00e9<script>' },
      });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9._-]{8,128}$/);
    });

    it('chat answers deterministically, keeps the session context in the cache and meters the usage', async () => {
      const user = await createVisitor(get().stack);
      const first = await fetch(url('/api/chat'), jsonRequest({ message: 'What is an engine?' }, user));
      expect(first.status).toBe(200);
      expect(first.headers.get('x-ratelimit-limit')).toBe('10');
      const a = await first.json();
      expect(a.answer).toContain('You asked: "What is an engine?"');
      expect(a.answer).toContain('To start');
      const second = await fetch(
        url('/api/chat'),
        jsonRequest({ message: 'And a loom?', sessionId: a.sessionId }, user),
      );
      const b = await second.json();
      expect(b.sessionId).toBe(a.sessionId);
      expect(b.answer).toContain('previous 2 messages');
      // Another user cannot continue this session.
      const other = await createVisitor(get().stack);
      await expectProblem(
        await fetch(url('/api/chat'), jsonRequest({ message: 'hi', sessionId: a.sessionId }, other)),
        404,
      );
      // Metered into ai_api_usage (written by the batching writer: poll until it lands).
      let rows: { operation: string; input_tokens: number }[] = [];
      while (rows.length < 2) {
        const { data } = await admin()
          .from('ai_api_usage')
          .select('operation, input_tokens')
          .eq('user_id', user.userId);
        rows = data ?? [];
        if (rows.length < 2) await new Promise((r) => setTimeout(r, 250));
      }
      expect(rows.every((r) => r.operation === 'chat' && r.input_tokens > 0)).toBe(true);
    });

    it('rate limits chat per user (basic: 10 per minute) with a 429 problem+json and Retry-After', async () => {
      const user = await createVisitor(get().stack);
      const statuses: number[] = [];
      let limited: Response | undefined;
      for (let i = 0; i < 11; i++) {
        const res = await fetch(url('/api/chat'), jsonRequest({ message: `question ${i}` }, user));
        statuses.push(res.status);
        if (res.status === 429) limited = res;
        else await res.arrayBuffer();
      }
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(limited).toBeDefined();
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
      await expectProblem(limited as Response, 429);
    });

    it('uploads a video (202, video/upload.completed sent) and pages the listing with a signed cursor', async () => {
      const creator = await createCreator(get().stack);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(
          url('/api/videos'),
          jsonRequest(
            {
              title: `Lesson ${i}`,
              videoUrl: `https://videos.example.com/${i}.mp4`,
              durationSeconds: 60 + i,
            },
            creator,
          ),
        );
        expect(res.status).toBe(202);
        ids.push((await res.json()).video.id);
      }
      const sent = await get().events.waitFor(
        (e) => e.name === 'video/upload.completed' && e.data.videoId === ids[2],
      );
      expect(sent.data).toMatchObject({ creatorId: creator.creatorId, duration: 62 });

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await fetch(
          url(`/api/videos?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
          { headers: bearer(creator.token) },
        );
        expect(res.status).toBe(200);
        const page: { videos: { id: string }[]; nextCursor: string | null } = await res.json();
        expect(page.videos.length).toBeLessThanOrEqual(2);
        seen.push(...page.videos.map((v) => v.id));
        cursor = page.nextCursor;
      } while (cursor);
      // Newest first, every video once, none of another creator's.
      expect(seen).toEqual([...ids].reverse());
    });

    it('gates quizzes by plan; a Whop membership webhook upgrades the plan for the next request', async () => {
      const creator = await createCreator(get().stack, 'basic');
      const upload = await fetch(
        url('/api/videos'),
        jsonRequest(
          { title: 'Quiz me', videoUrl: 'https://videos.example.com/q.mp4', durationSeconds: 30 },
          creator,
        ),
      );
      const videoId = (await upload.json()).video.id as string;
      const gated = await expectProblem(
        await fetch(url('/api/quizzes'), jsonRequest({ videoId, questionCount: 3 }, creator)),
        403,
      );
      expect(JSON.stringify(gated)).toContain('pro');

      const delivery = signWhopDelivery({
        action: 'membership.went_valid',
        data: { id: creator.membershipId, plan: 'pro' },
      });
      const hook = await fetch(url('/api/webhooks/whop'), delivery.init);
      expect(hook.status).toBe(200);
      expect(await hook.json()).toMatchObject({ applied: true, plan: 'pro' });
      await get().events.waitFor((e) => e.name === 'membership/updated' && e.data.userId === creator.userId);

      const allowed = await fetch(url('/api/quizzes'), jsonRequest({ videoId, questionCount: 3 }, creator));
      expect(allowed.status).toBe(202);
      const { quizId } = await allowed.json();
      const sent = await get().events.waitFor(
        (e) => e.name === 'quiz/generation.requested' && e.data.quizId === quizId,
      );
      expect(sent.data).toMatchObject({ videoId, creatorId: creator.creatorId, questionCount: 3 });

      // The same delivery again is a replay.
      await expectProblem(await fetch(url('/api/webhooks/whop'), delivery.init), 409);
    });

    describe('bad input is a 4xx problem+json, never a 500', () => {
      it('malformed JSON → 400', async () => {
        const user = await createVisitor(get().stack);
        await expectProblem(
          await fetch(url('/api/chat'), jsonRequest('{"message": "unterminated', user)),
          400,
        );
      });

      it('oversized body → 413', async () => {
        const user = await createVisitor(get().stack);
        const big = { message: 'x'.repeat(100 * 1024) };
        await expectProblem(await fetch(url('/api/chat'), jsonRequest(big, user)), 413);
      });

      it('wrong content type → 415', async () => {
        const user = await createVisitor(get().stack);
        await expectProblem(
          await fetch(url('/api/chat'), {
            method: 'POST',
            headers: { 'content-type': 'text/plain', ...bearer(user.token) },
            body: 'message=hello',
          }),
          415,
        );
      });

      it('missing and invalid fields → 400 naming each field', async () => {
        const creator = await createCreator(get().stack);
        const problem = await expectProblem(
          await fetch(
            url('/api/videos'),
            jsonRequest({ videoUrl: 'not a url', durationSeconds: -1 }, creator),
          ),
          400,
        );
        const pointers = (problem.errors ?? []).map((e) => e.pointer).sort();
        expect(pointers).toEqual(['#/durationSeconds', '#/title', '#/videoUrl']);
      });

      it('no token on a signed-in route → 401', async () => {
        await expectProblem(await fetch(url('/api/chat'), jsonRequest({ message: 'hi' })), 401);
      });

      it('invalid, expired, wrongly signed and unsigned JWTs → 401', async () => {
        const { jwtSecret } = get().stack;
        const sub = randomUUID();
        const claims = { sub, role: 'authenticated', aud: 'authenticated' };
        const tokens = {
          garbage: 'not.a.jwt',
          expired: signHs256(jwtSecret, { ...claims, iat: now() - 7200, exp: now() - 3600 }),
          wrongKey: signHs256('another-secret-of-at-least-32-characters!!', { ...claims, exp: now() + 3600 }),
          algNone: unsigned({ ...claims, exp: now() + 3600 }),
        };
        for (const [kind, token] of Object.entries(tokens)) {
          const res = await fetch(url('/api/chat'), jsonRequest({ message: kind }, { token }));
          await expectProblem(res, 401);
        }
      });

      it('spoofed x-user-id / x-forwarded-for do not change the identity or the rate-limit bucket', async () => {
        const remaining: number[] = [];
        for (const headers of [
          {} as Record<string, string>,
          { 'x-forwarded-for': '203.0.113.7' },
          { 'x-user-id': randomUUID() },
          { 'x-forwarded-for': '198.51.100.1, 203.0.113.8', 'x-real-ip': '192.0.2.1' },
        ]) {
          const res = await fetch(url('/api/plans'), { headers });
          expect(res.status).toBe(200);
          await res.arrayBuffer();
          remaining.push(Number(res.headers.get('x-ratelimit-remaining')));
        }
        // One bucket (the socket's address): each request took one more unit from it.
        for (let i = 1; i < remaining.length; i++)
          expect(remaining[i]).toBeLessThan(remaining[i - 1] as number);
        // A spoofed user id header is not a user: signed-in routes still refuse.
        await expectProblem(
          await fetch(
            url('/api/chat'),
            jsonRequest({ message: 'hi' }, { headers: { 'x-user-id': randomUUID() } }),
          ),
          401,
        );
      });

      it('tampered, foreign and garbage cursors → 400', async () => {
        const creator = await createCreator(get().stack);
        for (let i = 0; i < 2; i++) {
          await fetch(
            url('/api/videos'),
            jsonRequest(
              { title: `v${i}`, videoUrl: 'https://videos.example.com/c.mp4', durationSeconds: 1 },
              creator,
            ),
          );
        }
        const page = await (
          await fetch(url('/api/videos?limit=1'), { headers: bearer(creator.token) })
        ).json();
        const cursor = page.nextCursor as string;
        expect(cursor).toBeTruthy();
        const [payload, tag] = cursor.split('.') as [string, string];
        const edited = Buffer.from(payload, 'base64url')
          .toString('utf8')
          .replace(/"k":\["[^"]*"/, '"k":["2000-01-01T00:00:00+00:00"');
        const tampered = [
          `${Buffer.from(edited).toString('base64url')}.${tag}`,
          `${payload}.${tag.slice(0, -2)}AA`,
          'garbage',
          `${payload}`,
        ];
        for (const bad of tampered) {
          await expectProblem(
            await fetch(url(`/api/videos?limit=1&cursor=${encodeURIComponent(bad)}`), {
              headers: bearer(creator.token),
            }),
            400,
          );
        }
        await expectProblem(
          await fetch(url('/api/videos?limit=abc'), { headers: bearer(creator.token) }),
          400,
        );
      });

      it('unsigned → 400, bad or stale signatures → 401, a replayed delivery → 409', async () => {
        const body = { action: 'membership.went_valid', data: { id: 'mem_unknown', plan: 'pro' } };
        const good = signWhopDelivery(body);
        const badSignature = signWhopDelivery(body, {
          secret: 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC0zMi1ieXRlcw==',
        });
        await expectProblem(await fetch(url('/api/webhooks/whop'), badSignature.init), 401);
        const stale = signWhopDelivery(body, { timestamp: now() - 3600 });
        await expectProblem(await fetch(url('/api/webhooks/whop'), stale.init), 401);
        // No signature headers at all: a malformed delivery.
        await expectProblem(await fetch(url('/api/webhooks/whop'), jsonRequest(body)), 400);
        // A body changed after signing.
        const altered = {
          ...good.init,
          body: JSON.stringify({ ...body, data: { ...body.data, plan: 'enterprise' } }),
        };
        await expectProblem(await fetch(url('/api/webhooks/whop'), altered), 401);
        expect((await fetch(url('/api/webhooks/whop'), good.init)).status).toBe(200);
        await expectProblem(await fetch(url('/api/webhooks/whop'), good.init), 409);
      });
    });
  });
}
