import type { EmailTemplate } from '../events.js';

export interface EmailMessage {
  to: string;
  template: EmailTemplate;
  variables: Record<string, unknown>;
  /**
   * The same key for every attempt to send the same message (the event id): providers that accept an
   * idempotency key (Resend, Postmark, SES with a message deduplication id) send it once.
   */
  idempotencyKey: string;
}

/** Sends transactional email. Throws `AIAPIError`-like typed errors (`RateLimitError` on 429). */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string }>;
}

export interface SentEmail extends EmailMessage {
  messageId: string;
  sentAt: Date;
}

/** The local sender: keeps the messages it "sent" so development and tests can look at them. */
export interface MemoryEmailSender extends EmailSender {
  /** Every message sent, once per idempotency key, in order. */
  readonly sent: readonly SentEmail[];
  clear(): void;
}

/**
 * An in-memory mailbox: records each message once per idempotency key (a repeated key returns the first
 * message id, like a provider honouring idempotency keys) and calls `onSend` for new ones (e.g. to log).
 */
export function createMemoryEmailSender(
  options: { onSend?: (email: SentEmail) => void } = {},
): MemoryEmailSender {
  const sent: SentEmail[] = [];
  const byKey = new Map<string, SentEmail>();
  return {
    sent,
    async send(message) {
      const existing = byKey.get(message.idempotencyKey);
      if (existing) return { messageId: existing.messageId };
      const email: SentEmail = {
        ...message,
        variables: structuredClone(message.variables),
        messageId: `local-${sent.length + 1}`,
        sentAt: new Date(),
      };
      sent.push(email);
      byKey.set(message.idempotencyKey, email);
      options.onSend?.(email);
      return { messageId: email.messageId };
    },
    clear() {
      sent.length = 0;
      byKey.clear();
    },
  };
}
