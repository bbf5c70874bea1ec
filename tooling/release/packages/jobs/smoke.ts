// Smoke for @mentora/jobs, run in a consumer project against the published package: a catalog function
// served by Inngest's Node handler and driven over the real protocol by the local runner.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ValidationError } from '@mentora/errors';
import {
  type AIUsageReport,
  createJobsClient,
  createLocalEmbeddings,
  events,
  LOCAL_AI_PRICES,
} from '@mentora/jobs';
import { createLocalRunner } from '@mentora/jobs/testing';
import { serve } from 'inngest/node';

const signingKey = 'signkey-test-0123456789abcdef0123456789abcdef';
let handler: ReturnType<typeof serve> | undefined;
const server = createServer((req, res) => handler?.(req, res));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

const runner = createLocalRunner({ url: `http://127.0.0.1:${port}/api/inngest`, signingKey });
const jobs = createJobsClient({ signingKey, eventKey: 'local', baseUrl: await runner.listen() });
const countVariables = jobs.inngest.createFunction(
  { id: 'count-variables', triggers: [events['email/send']] },
  async ({ event, step }) => step.run('count', () => Object.keys(event.data.variables ?? {}).length),
);
handler = serve({ client: jobs.inngest, functions: [countVariables] });
await runner.start();

await jobs.send({
  name: 'email/send',
  data: { to: 'ada@example.com', template: 'quiz-ready', variables: { a: 1 } },
});
await runner.waitForIdle();
const [run] = runner.runs();
assert.equal(run?.status, 'completed');
assert.equal(run?.output, 1);

// An invalid payload never leaves the process.
await assert.rejects(
  // @ts-expect-error: `to` must be an e-mail address and `template` is required
  jobs.send({ name: 'email/send', data: { to: 'nope' } }),
  (error: unknown) => error instanceof ValidationError,
);
assert.equal(runner.runs().length, 1);

await runner.close();
await new Promise<void>((resolve) => server.close(() => resolve()));

// The local AI ports report deterministic token usage, priced at zero.
const usage: AIUsageReport[] = [];
await createLocalEmbeddings().embed(['hello world'], { onUsage: (u) => usage.push(u) });
assert.deepEqual(usage, [{ provider: 'local', model: 'local-embedding', inputTokens: 3, outputTokens: 0 }]);
assert.equal(LOCAL_AI_PRICES.local['local-embedding'].input, 0);
console.log('jobs smoke ok');
