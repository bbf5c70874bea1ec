import { describe, expect, it } from 'vitest';
import {
  type AIUsageRow,
  type ApiRequestLogRow,
  aiCostUsd,
  createHealthCheck,
  createLogger,
  createMetrics,
  DEFAULT_AI_PRICES,
  type PerformanceMetricRow,
  runWithContext,
  type SystemHealthLogRow,
} from '../../src/index.js';
import { captureStream } from '../support/capture.js';

const USER = '6f1c7d2e-8a4b-4c3d-9e5f-0a1b2c3d4e5f';
const CREATOR = '0b9a8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

function tables() {
  const rows = {
    perf: [] as PerformanceMetricRow[],
    requests: [] as ApiRequestLogRow[],
    ai: [] as AIUsageRow[],
    health: [] as SystemHealthLogRow[],
  };
  return {
    rows,
    writers: {
      performanceMetrics: async (r: PerformanceMetricRow[]) => void rows.perf.push(...r),
      apiRequestLogs: async (r: ApiRequestLogRow[]) => void rows.requests.push(...r),
      aiApiUsage: async (r: AIUsageRow[]) => void rows.ai.push(...r),
      systemHealthLogs: async (r: SystemHealthLogRow[]) => void rows.health.push(...r),
    },
  };
}

describe('createMetrics', () => {
  it('buffers rows named as the table columns and writes them on flush', async () => {
    const { rows, writers } = tables();
    const metrics = createMetrics({ writers, batch: { flushIntervalMs: 3_600_000 } });
    expect(metrics.recordPerformance('db.query', 12.5, { tags: { table: 'videos' } })).toBe(true);
    expect(metrics.recordPerformance('cache.size', 42, { unit: 'count' })).toBe(true);
    expect(rows.perf).toHaveLength(0);
    await metrics.flush();
    expect(rows.perf).toEqual([
      {
        metric_name: 'db.query',
        value: 12.5,
        unit: 'ms',
        tags: { table: 'videos' },
        recorded_at: expect.any(String),
      },
      { metric_name: 'cache.size', value: 42, unit: 'count', tags: {}, recorded_at: expect.any(String) },
    ]);
    await metrics.close();
  });

  it('recordRequest: strips the query string, takes request and user ids from the context, keeps only UUID users', async () => {
    const { rows, writers } = tables();
    const metrics = createMetrics({ writers });
    await runWithContext({ requestId: 'req-1', userId: USER }, async () => {
      metrics.recordRequest({
        method: 'GET',
        path: '/api/videos?token=abc&page=2',
        statusCode: 200,
        durationMs: 12,
      });
      metrics.recordRequest({
        method: 'POST',
        path: '/api/chat',
        statusCode: 503,
        durationMs: 40,
        requestId: 'explicit',
        userId: 'not-a-uuid',
        clientIp: '10.0.0.1',
        userAgent: 'x'.repeat(2_000),
        errorCode: 'SERVICE_UNAVAILABLE',
      });
    });
    await metrics.close();
    expect(rows.requests[0]).toMatchObject({
      request_id: 'req-1',
      path: '/api/videos',
      user_id: USER,
      status_code: 200,
      duration_ms: 12,
      client_ip: null,
      error_code: null,
    });
    expect(rows.requests[1]).toMatchObject({
      request_id: 'explicit',
      user_id: null,
      client_ip: '10.0.0.1',
      error_code: 'SERVICE_UNAVAILABLE',
    });
    expect(rows.requests[1]?.user_agent).toHaveLength(512);
  });

  it('recordAIUsage computes cost_usd from the price table (per 1M tokens), dated model names included', async () => {
    const { rows, writers } = tables();
    const metrics = createMetrics({
      writers,
      prices: { acme: { 'tiny-1': { input: 1, output: 2 } }, openai: { 'gpt-4o': { input: 5, output: 15 } } },
    });
    metrics.recordAIUsage({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      operation: 'chat',
      inputTokens: 1_000_000,
      outputTokens: 200_000,
      latencyMs: 850,
      userId: USER,
      creatorId: CREATOR,
      requestId: 'r1',
    });
    metrics.recordAIUsage({
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      operation: 'chat',
      inputTokens: 1000,
      outputTokens: 1000,
    });
    metrics.recordAIUsage({
      provider: 'OpenAI',
      model: 'gpt-4o',
      operation: 'chat',
      inputTokens: 1000,
      outputTokens: 0,
    });
    metrics.recordAIUsage({
      provider: 'acme',
      model: 'tiny-1',
      operation: 'embedding',
      inputTokens: 3,
      outputTokens: 0,
      success: false,
      errorCode: 'TIMEOUT',
    });
    await metrics.close();
    // 1M × $3 + 0.2M × $15
    expect(rows.ai[0]).toMatchObject({
      cost_usd: 6,
      input_tokens: 1_000_000,
      output_tokens: 200_000,
      latency_ms: 850,
      success: true,
      user_id: USER,
      creator_id: CREATOR,
      request_id: 'r1',
    });
    // gpt-4o-mini, not gpt-4o: 1000 × 0.15/1M + 1000 × 0.6/1M
    expect(rows.ai[1]?.cost_usd).toBeCloseTo(0.00075, 10);
    // the override wins over the default table, provider names case-insensitive
    expect(rows.ai[2]?.cost_usd).toBeCloseTo(0.005, 10);
    expect(rows.ai[3]).toMatchObject({
      cost_usd: 0.000003,
      success: false,
      error_code: 'TIMEOUT',
      latency_ms: null,
    });
    expect(metrics.stats().unknownPrices).toBe(0);
  });

  it('an unknown model costs 0, is counted, and is logged once', async () => {
    const { rows, writers } = tables();
    const logs = captureStream();
    const logger = createLogger({ service: 'm', destination: logs.stream });
    const metrics = createMetrics({ writers, logger });
    for (let i = 0; i < 3; i++) {
      metrics.recordAIUsage({
        provider: 'openai',
        model: 'gpt-99',
        operation: 'chat',
        inputTokens: 10,
        outputTokens: 10,
      });
    }
    await metrics.close();
    expect(rows.ai.map((r) => r.cost_usd)).toEqual([0, 0, 0]);
    expect(metrics.stats().unknownPrices).toBe(3);
    await logger.flush();
    const lines = logs.records().filter((r) => String(r.message).startsWith('no price'));
    expect(lines).toEqual([expect.objectContaining({ provider: 'openai', model: 'gpt-99' })]);
  });

  it('refuses values the table would reject (so one bad row cannot fail a whole batch), counts them, never throws', async () => {
    const { rows, writers } = tables();
    const metrics = createMetrics({ writers });
    expect(metrics.recordPerformance('x', Number.NaN)).toBe(false);
    expect(metrics.recordPerformance('', 1)).toBe(false);
    expect(metrics.recordRequest({ method: 'GET', path: '/', statusCode: 42, durationMs: 1 })).toBe(false);
    expect(metrics.recordRequest({ method: 'GET', path: '/', statusCode: 200, durationMs: -1 })).toBe(false);
    expect(metrics.recordRequest(undefined as never)).toBe(false);
    expect(
      metrics.recordAIUsage({
        provider: 'openai',
        model: 'gpt-4o',
        operation: 'chat',
        inputTokens: -5,
        outputTokens: 1,
      }),
    ).toBe(false);
    expect(
      metrics.recordAIUsage({
        provider: 'openai',
        model: 'gpt-4o',
        operation: 'chat',
        inputTokens: 1,
        outputTokens: 1,
        latencyMs: Number.NaN,
      }),
    ).toBe(false);
    await metrics.close();
    expect(metrics.stats().invalid).toBe(7);
    expect(rows.perf.length + rows.requests.length + rows.ai.length).toBe(0);
  });

  it('recordHealth: one system_health_logs row per report, failing checks as codes', async () => {
    const { rows, writers } = tables();
    const metrics = createMetrics({ writers, service: 'web' });
    const check = createHealthCheck({
      critical: ['database'],
      checks: {
        database: async () => ({ healthy: true }),
        cache: async () => ({ ok: false, code: 'REDIS_DOWN' }),
      },
      onReport: (report) => void metrics.recordHealth(report),
    });
    const report = await check.run();
    await metrics.close();
    expect(rows.health).toEqual([
      {
        service: 'web',
        status: 'degraded',
        latency_ms: expect.any(Number),
        error: 'cache:REDIS_DOWN',
        details: { checks: report.checks },
        checked_at: report.timestamp,
      },
    ]);
  });

  it('a table without a writer records nothing; stats list the tables that have one', async () => {
    const metrics = createMetrics({ writers: {} });
    expect(metrics.recordPerformance('x', 1)).toBe(false);
    expect(metrics.stats().tables).toEqual({});
    await metrics.close();
  });

  it('after close, rows are dropped and counted', async () => {
    const { writers } = tables();
    const metrics = createMetrics({ writers });
    await metrics.close();
    expect(metrics.recordPerformance('x', 1)).toBe(false);
    expect(metrics.stats().tables.performanceMetrics?.dropped).toBe(1);
  });
});

describe('AI prices', () => {
  it('cost = (input × input price + output × output price) / 1M, rounded to 6 decimals', () => {
    expect(aiCostUsd({ input: 3, output: 15 }, 1_000, 500)).toBe(0.0105);
    expect(aiCostUsd({ input: 0.02, output: 0 }, 1, 0)).toBe(0); // 2e-8 rounds to 0 at the column's precision
  });

  it('the default table lists per-1M-token prices for the providers the platform uses', () => {
    expect(Object.keys(DEFAULT_AI_PRICES).sort()).toEqual(['anthropic', 'openai']);
    for (const models of Object.values(DEFAULT_AI_PRICES)) {
      for (const price of Object.values(models)) {
        expect(price.input).toBeGreaterThan(0);
        expect(price.output).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
