import { createMemoryStore } from '../../src/index.ts';
import { rateLimitContract } from '../support/contract.ts';

rateLimitContract('memory', () => ({ store: (options) => createMemoryStore(options) }));
