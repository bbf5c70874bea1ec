// Throwaway real Redis / Redis Cluster from the workspace harness.
export { startRedis, startRedisCluster } from '../../../tooling/services/src/redis.ts';
