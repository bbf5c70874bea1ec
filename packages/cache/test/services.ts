// The throwaway Redis and Redis Cluster of @mentora/services (a devDependency). Imported by path
// until that package's root entry re-exports them.
export {
  type RedisClusterService,
  type RedisService,
  startRedis,
  startRedisCluster,
} from '../../../tooling/services/src/redis.ts';
