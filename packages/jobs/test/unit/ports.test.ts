import { describe, expect, it } from 'vitest';
import {
  chunkTranscript,
  createLocalEmbeddings,
  createLocalQuizGenerator,
  createLocalTranscription,
  createMemoryEmailSender,
  EMBEDDING_DIMENSIONS,
  previousUtcDay,
} from '../../src/index.js';

describe('local ports', () => {
  it('transcribes the same URL to the same transcript, one segment per 30 s', async () => {
    const t = createLocalTranscription();
    const audio = await t.extractAudio({ videoId: 'v', videoUrl: 'https://x/a.mp4', durationSeconds: 95 });
    const a = await t.transcribe({ videoId: 'v', audio });
    const b = await t.transcribe({ videoId: 'v', audio });
    expect(a).toEqual(b);
    expect(a.segments).toHaveLength(4);
    expect(a.segments.at(-1)?.end).toBe(95);
  });

  it('embeds deterministically into unit vectors of the column dimension', async () => {
    const e = createLocalEmbeddings();
    const [x, y, z] = await e.embed(['hello', 'hello', 'world']);
    expect(e.dimensions).toBe(EMBEDDING_DIMENSIONS);
    expect(x).toHaveLength(1536);
    expect(x).toEqual(y);
    expect(x).not.toEqual(z);
    expect(Math.abs(Math.hypot(...(x as number[])) - 1)).toBeLessThan(1e-3);
  });

  it('writes quiz questions whose answer index points at the real passage', async () => {
    const chunks = [0, 1, 2, 3, 4].map((index) => ({ index, text: `passage ${index}` }));
    const questions = await createLocalQuizGenerator().generate({
      videoId: 'v',
      title: 'T',
      chunks,
      questionCount: 6,
    });
    expect(questions).toHaveLength(6);
    for (const [n, q] of questions.entries()) {
      expect(q.options[q.answerIndex]).toBe(`passage ${n % 5}`);
    }
  });

  it('records each email once per idempotency key', async () => {
    const mail = createMemoryEmailSender();
    const m = { to: 'a@example.com', template: 'quiz-ready' as const, variables: {}, idempotencyKey: 'k1' };
    const first = await mail.send(m);
    const again = await mail.send(m);
    expect(again).toEqual(first);
    expect(mail.sent).toHaveLength(1);
  });
});

describe('chunkTranscript', () => {
  it('groups segments up to the word limit and keeps their time range, deterministically', () => {
    const segments = Array.from({ length: 10 }, (_, i) => ({
      start: i * 10,
      end: i * 10 + 10,
      text: 'word '.repeat(30).trim(),
    }));
    const transcript = { text: '', language: 'en', segments };
    const chunks = chunkTranscript(transcript, 100);
    expect(chunks.map((c) => [c.index, c.startTime, c.endTime])).toEqual([
      [0, 0, 30],
      [1, 30, 60],
      [2, 60, 90],
      [3, 90, 100],
    ]);
    expect(chunkTranscript(transcript, 100)).toEqual(chunks);
    expect(chunkTranscript({ text: '', language: 'en', segments: [] })).toEqual([]);
  });

  it('rolls up the UTC day before the event', () => {
    expect(previousUtcDay(Date.parse('2026-03-01T02:00:00Z'))).toBe('2026-02-28');
  });
});
