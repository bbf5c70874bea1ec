// The throwaway Redis and Redis Cluster of @mentora/testing (a devDependency).
export {
  type RedisClusterService,
  type RedisService,
  startRedis,
  startRedisCluster,
} from '@mentora/testing';
