import { ConfigError, DatabaseError } from '@mentora/errors';
import { createClient, type SupabaseClientOptions } from '@supabase/supabase-js';
import type { Database } from './database.types.js';
import type { MentoraSupabaseClient } from './types.js';

/** A secret as a string, or a wrapper that reveals it on demand (@mentora/config's `Secret`). */
export type SecretInput = string | { reveal(): string };

export interface SupabaseClientsOptions {
  /** Project URL (the gateway that serves /rest/v1). */
  url: string;
  /** Public anon key: safe in browsers, RLS applies. */
  anonKey: string;
  /** Service-role key: bypasses RLS. Server only; never give it to code that ships to a browser. */
  serviceRoleKey?: SecretInput;
  /** Custom fetch (tests, tracing, keep-alive agents). */
  fetch?: typeof fetch;
  /** Sent with every request, e.g. { 'x-application-name': 'mentora-web' }. */
  headers?: Record<string, string>;
  /** How many per-user clients to keep (least recently used evicted). Default 500. */
  maxUserClients?: number;
}

export interface SupabaseClients {
  /** Anonymous client (anon key, RLS as `anon`). One per factory. */
  anon(): MentoraSupabaseClient;
  /** Client acting as the user whose access token (JWT) is given: RLS applies as that user. Cached per token. */
  forUser(accessToken: string): MentoraSupabaseClient;
  /** Service-role client: bypasses RLS. Refuses to build in a browser or without a service-role key. */
  admin(): MentoraSupabaseClient;
  /** Seeds' name for anon(). */
  getSupabaseClient(): MentoraSupabaseClient;
  /** Seeds' name for admin(). */
  getSupabaseAdmin(): MentoraSupabaseClient;
  /** Drops every cached client and closes their realtime channels. Later calls throw. */
  close(): Promise<void>;
}

function reveal(secret: SecretInput): string {
  return typeof secret === 'string' ? secret : secret.reveal();
}

function isBrowser(): boolean {
  return typeof (globalThis as { window?: unknown }).window !== 'undefined';
}

/**
 * Builds supabase-js clients once and reuses them for the life of the factory (no module globals:
 * two factories never share state). Server-side sessions are never persisted or refreshed here; the
 * user's token comes in per call.
 */
export function createSupabaseClients(options: SupabaseClientsOptions): SupabaseClients {
  const issues: { variable: string; message: string }[] = [];
  if (!/^https?:\/\//.test(options.url ?? ''))
    issues.push({ variable: 'url', message: 'must be an http(s) URL' });
  if (!options.anonKey) issues.push({ variable: 'anonKey', message: 'is required' });
  if (options.serviceRoleKey !== undefined && isBrowser()) {
    issues.push({ variable: 'serviceRoleKey', message: 'must never be present in a browser bundle' });
  }
  if (issues.length > 0) throw new ConfigError('Invalid Supabase client options', { issues });

  // Kept in this closure only: not a property of the returned object, so it never shows up in logs,
  // JSON.stringify or util.inspect of the factory.
  const serviceRoleKey = options.serviceRoleKey;
  const maxUserClients = options.maxUserClients ?? 500;
  const base: SupabaseClientOptions<'public'> = {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    ...(options.headers || options.fetch
      ? {
          global: {
            ...(options.headers ? { headers: options.headers } : {}),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          },
        }
      : {}),
  };

  let closed = false;
  let anonClient: MentoraSupabaseClient | undefined;
  let adminClient: MentoraSupabaseClient | undefined;
  // Map keeps insertion order: re-inserting on use makes the first key the least recently used.
  const userClients = new Map<string, MentoraSupabaseClient>();

  const assertOpen = () => {
    if (closed) throw new DatabaseError('Supabase clients were closed', {}, { code: 'DB_CLIENTS_CLOSED' });
  };

  const anon = () => {
    assertOpen();
    anonClient ??= createClient<Database>(options.url, options.anonKey, base);
    return anonClient;
  };

  const admin = () => {
    assertOpen();
    if (isBrowser()) {
      throw new ConfigError('The service-role client cannot be created in a browser', {
        issues: [{ variable: 'serviceRoleKey', message: 'server only' }],
      });
    }
    if (serviceRoleKey === undefined) {
      throw new ConfigError('The service-role client needs a service-role key', {
        issues: [{ variable: 'serviceRoleKey', message: 'is required for admin()' }],
      });
    }
    adminClient ??= createClient<Database>(options.url, reveal(serviceRoleKey), base);
    return adminClient;
  };

  return {
    anon,
    admin,
    getSupabaseClient: anon,
    getSupabaseAdmin: admin,

    forUser(accessToken) {
      assertOpen();
      if (typeof accessToken !== 'string' || accessToken.split('.').length !== 3) {
        throw new ConfigError('forUser() needs the user access token (a JWT)', {
          issues: [{ variable: 'accessToken', message: 'expected a JWT' }],
        });
      }
      const cached = userClients.get(accessToken);
      if (cached) {
        userClients.delete(accessToken);
        userClients.set(accessToken, cached);
        return cached;
      }
      // `accessToken` makes supabase-js send this JWT (and never look for a session); RLS then sees the user.
      const client = createClient<Database>(options.url, options.anonKey, {
        ...base,
        accessToken: async () => accessToken,
      });
      userClients.set(accessToken, client);
      if (userClients.size > maxUserClients) {
        const oldest = userClients.keys().next().value;
        if (oldest !== undefined) {
          const evicted = userClients.get(oldest);
          userClients.delete(oldest);
          void evicted?.removeAllChannels();
        }
      }
      return client;
    },

    async close() {
      if (closed) return;
      closed = true;
      const all = [anonClient, adminClient, ...userClients.values()].filter((c) => c !== undefined);
      anonClient = undefined;
      adminClient = undefined;
      userClients.clear();
      await Promise.all(all.map((c) => c.removeAllChannels()));
    },
  };
}
