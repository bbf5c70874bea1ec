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

export interface RunningServices {
  readonly info: ServicesInfo;
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
    ...(stack ? { supabase: stack } : {}),
    ...(single ? { redis: single } : {}),
    ...(cluster ? { redisCluster: cluster } : {}),
    stop() {
      stopping ??= stopAll();
      return stopping;
    },
  };
}
