// Throwaway real Redis / Redis Cluster from the workspace harness (@mentora/services).
export { startRedis, startRedisCluster } from '@mentora/services';
