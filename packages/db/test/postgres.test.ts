import { defineContractSuite } from './contract/suite.js';

// Real PostgreSQL 15 (Debian's binaries, no pgvector) behind the real PostgREST.
defineContractSuite('postgres');
