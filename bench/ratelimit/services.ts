// Throwaway Redis from the workspace harness (@mentora/services).
export { startRedis } from '@mentora/services';
