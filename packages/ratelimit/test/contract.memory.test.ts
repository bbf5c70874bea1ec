import { createMemoryStore } from '../src/index.ts';
import { rateLimitContract } from './contract.ts';

rateLimitContract('memory', () => ({ store: (options) => createMemoryStore(options) }));
