import type { Transcript } from '../ports/transcription.js';

export interface TranscriptChunk {
  index: number;
  text: string;
  startTime: number;
  endTime: number;
  topics: string[];
}

const STOP = new Set([
  'because',
  'through',
  'between',
  'without',
  'another',
  'something',
  'should',
  'really',
]);

function topicsOf(text: string): string[] {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/[a-z]{6,}/g) ?? []) {
    if (!STOP.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([word]) => word);
}

/**
 * Groups transcript segments into chunks of at most `maxWords` words (a longer single segment is its own
 * chunk), keeping each chunk's first start and last end time. Deterministic: the same transcript always
 * gives the same chunks, which is what makes re-running the pipeline overwrite instead of duplicate.
 */
export function chunkTranscript(transcript: Transcript, maxWords = 200): TranscriptChunk[] {
  const chunks: TranscriptChunk[] = [];
  let texts: string[] = [];
  let words = 0;
  let start = 0;
  let end = 0;
  const flush = () => {
    if (texts.length === 0) return;
    const text = texts.join(' ').trim();
    if (text)
      chunks.push({ index: chunks.length, text, startTime: start, endTime: end, topics: topicsOf(text) });
    texts = [];
    words = 0;
  };
  for (const segment of transcript.segments) {
    const count = segment.text.split(/\s+/).filter(Boolean).length;
    if (words > 0 && words + count > maxWords) flush();
    if (texts.length === 0) start = Math.max(0, segment.start);
    texts.push(segment.text.trim());
    words += count;
    end = Math.max(start, segment.end);
  }
  flush();
  return chunks;
}
