// Signs a Whop delivery as Whop does (Standard Webhooks headers), with @mentora/http's own signer.
import { randomUUID } from 'node:crypto';
import { signWebhook } from '@mentora/http';
import { now } from './tokens.ts';
import { WHOP_SECRET } from './web-server.ts';

export function signWhopDelivery(
  payload: unknown,
  options: { secret?: string; id?: string; timestamp?: number } = {},
): { id: string; init: RequestInit } {
  const id = options.id ?? `msg_${randomUUID()}`;
  const body = JSON.stringify(payload);
  const headers = signWebhook(options.secret ?? WHOP_SECRET, {
    id,
    timestamp: options.timestamp ?? now(),
    body,
  });
  return { id, init: { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body } };
}
