// Throwaway Redis from the workspace harness (@mentora/services).
export { startRedis } from '../../tooling/services/src/redis.ts';
