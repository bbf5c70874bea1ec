// Throwaway Redis from the workspace harness (@mentora/testing).
export { startRedis } from '@mentora/testing';
