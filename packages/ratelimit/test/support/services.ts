// Throwaway real Redis / Redis Cluster from the workspace harness (@mentora/testing).
export { startRedis, startRedisCluster } from '@mentora/testing';
