// The throwaway Redis and Redis Cluster of @mentora/services (a devDependency).
export {
  type RedisClusterService,
  type RedisService,
  startRedis,
  startRedisCluster,
} from '@mentora/services';
