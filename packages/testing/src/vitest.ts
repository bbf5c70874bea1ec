// Vitest helpers. A separate entry (`@mentora/testing/vitest`) so that importing the harness
// itself never pulls in vitest.
import { afterAll, beforeAll, inject } from 'vitest';
import { type RedisClusterService, type RedisService, startRedis, startRedisCluster } from './redis.ts';
import { type ServicesInfo, type StartServicesOptions, startServices } from './services.ts';
import {
  type StartSupabaseStackOptions,
  type SupabaseStack,
  type SupabaseStackMode,
  startSupabaseStack,
} from './stack.ts';

const PROVIDE_KEY = 'mentora:services';

declare module 'vitest' {
  export interface ProvidedContext {
    'mentora:services': ServicesInfo;
  }
}

/**
 * A stand-in object that forwards to the service once `beforeAll` has started it, and says
 * clearly when it is used too early (at collection time, outside any test or hook).
 */
function lazyHandle<T extends object>(what: string, get: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_target, property) {
      const value = get();
      if (value === undefined) {
        throw new Error(`${what} is not started yet: use it inside a test or a hook, after beforeAll`);
      }
      const member = Reflect.get(value, property, value);
      return typeof member === 'function' ? member.bind(value) : member;
    },
    has(_target, property) {
      const value = get();
      return value !== undefined && property in value;
    },
  });
}

/** Hang guard for service start-up in hooks (the default 10 s hook timeout is too short on 2 cores). */
const HOOK_TIMEOUT_MS = 120_000;

/**
 * Starts a Supabase stack for the current file (or describe block) in `beforeAll` and stops it in
 * `afterAll`. Returns a handle usable inside tests: `stack.url`, `stack.anonKey`, ...
 */
export function useSupabaseStack(options: SupabaseStackMode | StartSupabaseStackOptions): SupabaseStack {
  let stack: SupabaseStack | undefined;
  beforeAll(async () => {
    stack = await startSupabaseStack(typeof options === 'string' ? { mode: options } : options);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await stack?.stop();
  }, HOOK_TIMEOUT_MS);
  return lazyHandle('The Supabase stack', () => stack);
}

/** A throwaway Redis for the current file, started in `beforeAll`, stopped in `afterAll`. */
export function useRedis(): RedisService {
  let redis: RedisService | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await redis?.stop();
  }, HOOK_TIMEOUT_MS);
  return lazyHandle('Redis', () => redis);
}

/** A throwaway 3-master Redis Cluster for the current file. */
export function useRedisCluster(): RedisClusterService {
  let cluster: RedisClusterService | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await cluster?.stop();
  }, HOOK_TIMEOUT_MS);
  return lazyHandle('The Redis Cluster', () => cluster);
}

/**
 * For `globalSetup`: starts the services once for the whole run and hands their URLs and keys to
 * the test files (read them with `injectServices()`).
 *
 *   // vitest.global-setup.ts
 *   export default servicesGlobalSetup({ supabase: { mode: 'embedded' }, redis: true });
 */
export function servicesGlobalSetup(options: StartServicesOptions) {
  return async (project: { provide(key: typeof PROVIDE_KEY, value: ServicesInfo): void }) => {
    const services = await startServices(options);
    project.provide(PROVIDE_KEY, services.info);
    return async () => {
      await services.stop();
    };
  };
}

/** In a test file: the services started by `servicesGlobalSetup`. */
export function injectServices(): ServicesInfo {
  const info = inject(PROVIDE_KEY);
  if (info === undefined) {
    throw new Error(
      'No services were provided: add servicesGlobalSetup(...) to globalSetup in the vitest config',
    );
  }
  return info;
}
