import { seededBytes } from './hash.js';
import { type AICallOptions, LOCAL_AI_PROVIDER, localTokens } from './usage.js';

/** One timed piece of a transcript (seconds from the start of the video). */
export interface TranscriptSegment {
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  text: string;
  language: string;
  segments: TranscriptSegment[];
}

/** Where the extracted audio is: a URL or storage key the transcriber can read (never the bytes). */
export interface ExtractedAudio {
  audioUrl: string;
  durationSeconds?: number;
}

/**
 * Speech to text for the video pipeline. Implementations talk to a provider (Whisper, Deepgram, …) and
 * throw `AIAPIError` (with the provider's status) when it fails, so a 429 is retried after its delay.
 */
export interface TranscriptionProvider {
  /** Extracts the audio track and stores it where `transcribe` can read it. */
  extractAudio(input: {
    videoId: string;
    videoUrl: string;
    durationSeconds?: number;
  }): Promise<ExtractedAudio>;
  transcribe(input: { videoId: string; audio: ExtractedAudio }, options?: AICallOptions): Promise<Transcript>;
}

const WORDS = [
  'lesson',
  'example',
  'variable',
  'function',
  'pattern',
  'practice',
  'strategy',
  'concept',
  'students',
  'explains',
  'important',
  'review',
  'project',
  'design',
  'question',
  'answer',
  'method',
  'result',
  'analysis',
  'framework',
  'market',
  'product',
  'customer',
  'growth',
  'system',
  'process',
  'detail',
];

export interface LocalTranscriptionOptions {
  /** Seconds per generated segment. Default 30. */
  segmentSeconds?: number;
  /** Upper bound on generated segments, whatever the duration. Default 120. */
  maxSegments?: number;
}

/**
 * A deterministic stand-in for development and tests: the "audio" is the video URL and the transcript
 * is generated from it (the same URL always gives the same words), one segment per `segmentSeconds`. Reports usage as provider `local`, model `local-transcription`.
 */
export function createLocalTranscription(options: LocalTranscriptionOptions = {}): TranscriptionProvider {
  const segmentSeconds = options.segmentSeconds ?? 30;
  const maxSegments = options.maxSegments ?? 120;
  return {
    async extractAudio({ videoUrl, durationSeconds }) {
      return {
        audioUrl: `local-audio:${videoUrl}`,
        ...(durationSeconds === undefined ? {} : { durationSeconds }),
      };
    },
    async transcribe({ audio }, callOptions) {
      const duration = Math.max(1, audio.durationSeconds ?? 60);
      const count = Math.min(maxSegments, Math.max(1, Math.ceil(duration / segmentSeconds)));
      const segments: TranscriptSegment[] = [];
      for (let i = 0; i < count; i++) {
        const bytes = seededBytes(`${audio.audioUrl}#${i}`, 12);
        const words = Array.from(bytes, (b) => WORDS[b % WORDS.length] as string);
        const start = i * segmentSeconds;
        segments.push({
          start,
          end: Math.min(duration, start + segmentSeconds),
          text: `Part ${i + 1}: the ${words.join(' ')}.`,
        });
      }
      const text = segments.map((s) => s.text).join(' ');
      // Speech has no input tokens here: the output is what a transcription provider bills by.
      callOptions?.onUsage?.({
        provider: LOCAL_AI_PROVIDER,
        model: 'local-transcription',
        inputTokens: 0,
        outputTokens: localTokens(text),
      });
      return { text, language: 'en', segments };
    },
  };
}
