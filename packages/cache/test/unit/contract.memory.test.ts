import { createMemoryStore } from '../../src/index.js';
import { describeCacheContract } from '../support/contract.js';

describeCacheContract('memory', async () => {
  // Two caches in one process share one memory store, as two processes share one Redis.
  const store = createMemoryStore();
  return { store, peer: store, close: () => store.close() };
});
