import { createQueryBuilder } from '@mentora/db';
import { cron } from 'inngest';
import type { FunctionContext } from './deps.js';

interface UnhealthyVideo {
  videoId: string;
  creatorId: string;
  title: string;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * check-content-health: every Sunday at 03:00 UTC, checks that every completed video's URL still serves,
 * one page of videos per step (a page's result is memoized, so a retry resumes where it failed), then
 * sends each affected creator one email listing their broken videos.
 */
export function createCheckContentHealth({ inngest, deps, middleware, options }: FunctionContext) {
  return inngest.createFunction(
    {
      id: 'check-content-health',
      name: 'Check Content Health',
      retries: 2,
      triggers: [cron('0 3 * * 0')],
      middleware,
    },
    async ({ step, runId }) => {
      const unhealthy: UnhealthyVideo[] = [];
      let cursor: string | null = null;
      let checked = 0;
      for (let page = 0; ; page++) {
        const result: { unhealthy: UnhealthyVideo[]; checked: number; nextCursor: string | null } =
          await step.run(`check-videos-${page}`, async () => {
            const videos = await createQueryBuilder(deps.db.admin(), 'videos').list({
              filters: { processing_status: 'completed' },
              orderBy: 'created_at',
              orderDirection: 'asc',
              limit: options.healthCheckPageSize,
              cursor,
              select: ['id', 'creator_id', 'title', 'video_url'],
            });
            const reachable = await mapLimit(videos.data, options.healthCheckConcurrency, (v) =>
              deps.accessibility.isAccessible(v.video_url),
            );
            return {
              checked: videos.data.length,
              nextCursor: videos.nextCursor,
              unhealthy: videos.data
                .filter((_, i) => !reachable[i])
                .map((v) => ({ videoId: v.id, creatorId: v.creator_id, title: v.title })),
            };
          });
        checked += result.checked;
        unhealthy.push(...result.unhealthy);
        cursor = result.nextCursor;
        if (!cursor) break;
      }

      if (unhealthy.length > 0) {
        const creatorIds = [...new Set(unhealthy.map((v) => v.creatorId))];
        const recipients = await step.run('load-creators', async () => {
          const page = await createQueryBuilder(deps.db.admin(), 'creators').list({
            filters: { id: creatorIds },
            select: ['id', 'email'],
            limit: creatorIds.length,
          });
          return page.data.map((c) => ({ id: c.id, email: c.email }));
        });
        await step.sendEvent(
          'notify-creators',
          recipients.map((creator) => ({
            name: 'email/send' as const,
            id: `video-health-alert-${runId}-${creator.id}`,
            data: {
              to: creator.email,
              template: 'video-health-alert' as const,
              variables: {
                videos: unhealthy
                  .filter((v) => v.creatorId === creator.id)
                  .map((v) => ({ videoId: v.videoId, title: v.title })),
              },
            },
          })),
        );
      }
      return { checked, unhealthyCount: unhealthy.length };
    },
  );
}
