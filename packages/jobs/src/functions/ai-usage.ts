import { errorCodeOf } from '../errors.js';
import type { AICallOptions, AIUsageReport } from '../ports/usage.js';
import type { FunctionContext } from './deps.js';

/**
 * Runs one AI port call and records what the provider reported to ai_api_usage (through `deps.metrics`),
 * with the call's latency and whether it succeeded. Without metrics the call simply runs.
 */
export async function withAIUsage<T>(
  { deps }: Pick<FunctionContext, 'deps'>,
  operation: string,
  facts: { creatorId?: string },
  call: (options: AICallOptions) => Promise<T>,
): Promise<T> {
  const metrics = deps.metrics;
  if (!metrics) return call({});
  const reports: AIUsageReport[] = [];
  const started = performance.now();
  const record = (success: boolean, error?: unknown) => {
    const latencyMs = Math.round(performance.now() - started);
    for (const usage of reports) {
      metrics.recordAIUsage({
        ...usage,
        operation,
        latencyMs,
        success,
        ...(error === undefined ? {} : { errorCode: errorCodeOf(error) }),
        ...(facts.creatorId ? { creatorId: facts.creatorId } : {}),
      });
    }
  };
  try {
    const result = await call({ onUsage: (usage) => reports.push(usage) });
    record(true);
    return result;
  } catch (error) {
    record(false, error);
    throw error;
  }
}
