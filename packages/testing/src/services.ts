import { type RedisClusterService, type RedisService, startRedis, startRedisCluster } from './redis.ts';
import { type StartSupabaseStackOptions, type SupabaseStack, startSupabaseStack } from './stack.ts';

export interface StartServicesOptions {
  /** Start a Supabase stack with these options; false (default) for none. */
  supabase?: StartSupabaseStackOptions | false;
  /** Start a single Redis. Default false. */
  redis?: boolean;
  /** Start a 3-master Redis Cluster. Default false. */
  redisCluster?: boolean;
}

/** Everything a client needs to reach the services: plain JSON, so it can cross processes. */
export interface ServicesInfo {
  supabase?: {
    mode: SupabaseStack['mode'];
    url: string;
    anonKey: string;
    serviceRoleKey: string;
    jwtSecret: string;
    databaseUrl: string;
    postgrestUrl: string;
    startMs: number;
  };
  redis?: { url: string; host: string; port: number };
  redisCluster?: { nodes: { host: string; port: number }[] };
}

/**
 * The services' URLs and keys under the variable names `@mentora/config` reads, which `validateConfig`
 * accepts in every profile that has defaults for the rest: spread it over an environment,
 * `loadConfig({ ...process.env, ...servicesEnv(info) })`. A Redis sets the cache driver to redis.
 */
export function servicesEnv(info: ServicesInfo): ServicesEnv {
  const env: ServicesEnv = {};
  if (info.supabase) {
    env.NEXT_PUBLIC_SUPABASE_URL = info.supabase.url;
    env.NEXT_PUBLIC_SUPABASE_ANON_KEY = info.supabase.anonKey;
    env.SUPABASE_SERVICE_ROLE_KEY = info.supabase.serviceRoleKey;
    env.SUPABASE_JWT_SECRET = info.supabase.jwtSecret;
    env.DATABASE_URL = info.supabase.databaseUrl;
  }
  if (info.redis) {
    env.CACHE_DRIVER = 'redis';
    env.REDIS_URL = info.redis.url;
  }
  return env;
}

/** What `servicesEnv` fills in: the Supabase variables with a stack, the cache's with a Redis. */
export interface ServicesEnv {
  NEXT_PUBLIC_SUPABASE_URL?: string;
  NEXT_PUBLIC_SUPABASE_ANON_KEY?: string;
  SUPABASE_SERVICE_ROLE_KEY?: string;
  SUPABASE_JWT_SECRET?: string;
  DATABASE_URL?: string;
  CACHE_DRIVER?: 'redis';
  REDIS_URL?: string;
}

export interface RunningServices {
  readonly info: ServicesInfo;
  /** `servicesEnv(info)`: the variables `@mentora/config` reads, filled in for these services. */
  env(): ServicesEnv;
  readonly supabase?: SupabaseStack;
  readonly redis?: RedisService;
  readonly redisCluster?: RedisClusterService;
  /** Stops everything that was started. Idempotent. */
  stop(): Promise<void>;
}

/** Starts the requested services side by side; if one fails, the others are stopped again. */
export async function startServices(options: StartServicesOptions): Promise<RunningServices> {
  const [supabase, redis, redisCluster] = await Promise.allSettled([
    options.supabase ? startSupabaseStack(options.supabase) : Promise.resolve(undefined),
    options.redis ? startRedis() : Promise.resolve(undefined),
    options.redisCluster ? startRedisCluster({ masters: 3 }) : Promise.resolve(undefined),
  ]);
  const started = [supabase, redis, redisCluster].flatMap((result) =>
    result.status === 'fulfilled' && result.value ? [result.value] : [],
  );
  const stopAll = async () => {
    await Promise.allSettled(started.map((service) => service.stop()));
  };
  const failed = [supabase, redis, redisCluster].find((result) => result.status === 'rejected');
  if (failed) {
    await stopAll();
    throw (failed as PromiseRejectedResult).reason;
  }

  const stack = supabase.status === 'fulfilled' ? supabase.value : undefined;
  const single = redis.status === 'fulfilled' ? redis.value : undefined;
  const cluster = redisCluster.status === 'fulfilled' ? redisCluster.value : undefined;
  const info: ServicesInfo = {
    ...(stack
      ? {
          supabase: {
            mode: stack.mode,
            url: stack.url,
            anonKey: stack.anonKey,
            serviceRoleKey: stack.serviceRoleKey,
            jwtSecret: stack.jwtSecret,
            databaseUrl: stack.databaseUrl,
            postgrestUrl: stack.postgrestUrl,
            startMs: stack.timings.totalMs,
          },
        }
      : {}),
    ...(single ? { redis: { url: single.url, host: single.host, port: single.port } } : {}),
    ...(cluster ? { redisCluster: { nodes: cluster.nodes.map((node) => ({ ...node })) } } : {}),
  };
  let stopping: Promise<void> | undefined;
  return {
    info,
    env: () => servicesEnv(info),
    ...(stack ? { supabase: stack } : {}),
    ...(single ? { redis: single } : {}),
    ...(cluster ? { redisCluster: cluster } : {}),
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
