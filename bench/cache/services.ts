// Throwaway Redis from the workspace harness.
export { startRedis } from '@mentora/testing';
