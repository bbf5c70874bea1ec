// Signs a Whop delivery the way Whop does (Standard Webhooks: `webhook-id`, `webhook-timestamp` and
// `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed by the secret's bytes).
import { createHmac, randomUUID } from 'node:crypto';
import { now } from './tokens.ts';
import { WHOP_SECRET } from './web-server.ts';

export function signWhopDelivery(
  payload: unknown,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): { id: string; init: RequestInit } {
  const secret = options.secret ?? WHOP_SECRET;
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? now();
  const body = JSON.stringify(payload);
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    id,
    init: {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': `v1,${signature}`,
      },
      body,
    },
  };
}
