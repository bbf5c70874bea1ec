import type { Logger } from '@mentora/monitoring';
import { createLocalAccessibilityChecker, type VideoAccessibilityChecker } from './accessibility.js';
import { createMemoryEmailSender, type MemoryEmailSender } from './email.js';
import { createLocalEmbeddings, type EmbeddingProvider } from './embeddings.js';
import { createLocalQuizGenerator, type QuizGenerator } from './quiz.js';
import { createLocalTranscription, type TranscriptionProvider } from './transcription.js';

export interface LocalPorts {
  transcription: TranscriptionProvider;
  embeddings: EmbeddingProvider;
  quizGenerator: QuizGenerator;
  email: MemoryEmailSender;
  accessibility: VideoAccessibilityChecker;
}

/**
 * Every provider port with its deterministic local implementation, for development and tests. With a
 * `logger`, each email "sent" is logged (info) so it can be seen in a dev console.
 */
export function createLocalPorts(options: { logger?: Logger } = {}): LocalPorts {
  const { logger } = options;
  return {
    transcription: createLocalTranscription(),
    embeddings: createLocalEmbeddings(),
    quizGenerator: createLocalQuizGenerator(),
    email: createMemoryEmailSender(
      logger
        ? {
            onSend: (email) =>
              logger.info('email sent (local mailbox)', {
                to: email.to,
                template: email.template,
                messageId: email.messageId,
              }),
          }
        : {},
    ),
    accessibility: createLocalAccessibilityChecker(),
  };
}
