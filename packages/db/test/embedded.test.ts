import { defineContractSuite } from './contract/suite.js';

// PGlite (with pgvector) served over the wire protocol to the real PostgREST.
defineContractSuite('embedded');
