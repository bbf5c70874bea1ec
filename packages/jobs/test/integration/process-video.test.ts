import { describe, expect, it } from 'vitest';
import { createFixture, startHarness, useStack } from '../support/harness.js';

describe.each(['embedded', 'postgres'] as const)('process-video (%s stack)', (mode) => {
  const stack = useStack(mode);

  it('processes a video end to end: transcript, chunks, status, events, one job_queue row', async () => {
    const h = await startHarness(stack.get());
    try {
      const f = await createFixture(stack.get());
      await h.client.send({
        name: 'video/upload.completed',
        data: {
          videoId: f.videoId,
          creatorId: f.creatorId,
          videoUrl: f.videoUrl,
          duration: 600,
          autoGenerateQuiz: true,
        },
      });
      await h.runner.waitForIdle();
      const runs = h.runner.runs();
      const pv = h.runner.runs({ functionId: 'process-video' });
      expect(pv).toHaveLength(1);
      expect(pv[0]?.status, JSON.stringify(pv[0]?.error)).toBe('completed');
      expect(runs.map((r) => `${r.functionId}:${r.status}`).sort()).toEqual([
        'generate-quiz:completed',
        'process-video:completed',
        'send-email:completed',
      ]);
      console.log(JSON.stringify(pv[0]?.output));
    } finally {
      await h.close();
    }
  });
});
