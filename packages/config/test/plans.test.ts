import { FeatureGateError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import {
  assertFeatureEnabled,
  createStaticFeatureFlags,
  FEATURE_FLAGS,
  getRateLimitRule,
  PLAN_CATALOG,
  PLAN_TIERS,
  planAtLeast,
  RATE_LIMIT_ENDPOINTS,
  requiredPlanFor,
} from '../src/index.js';

describe('plan catalog', () => {
  it('has the seeds’ per-plan limits', () => {
    const table = Object.fromEntries(
      RATE_LIMIT_ENDPOINTS.map((e) => [
        e,
        PLAN_TIERS.map((p) => getRateLimitRule(e, p)).map((r) =>
          r.unlimited ? 'unlimited' : `${r.limit}/${r.window}`,
        ),
      ]),
    );
    expect(table).toEqual({
      chat: ['10/1 m', '50/1 m', 'unlimited'],
      videoUpload: ['5/1 h', '20/1 h', 'unlimited'],
      quizGeneration: ['3/1 h', '15/1 h', 'unlimited'],
      auth: ['5/5 m', '5/5 m', '5/5 m'],
      api: ['100/1 m', '500/1 m', 'unlimited'],
    });
    expect(getRateLimitRule('chat', 'basic')).toEqual({
      limit: 10,
      window: '1 m',
      windowSeconds: 60,
      algorithm: 'sliding-window',
      unlimited: false,
    });
    expect(getRateLimitRule('videoUpload', 'pro')).toMatchObject({
      windowSeconds: 3600,
      algorithm: 'fixed-window',
    });
    expect(getRateLimitRule('chat', 'enterprise').limit).toBe(Number.POSITIVE_INFINITY);
    expect(() => getRateLimitRule('chat', 'gold' as never)).toThrow(TypeError);
  });

  it('is frozen, ranked, and lists features per plan', () => {
    expect(Object.isFrozen(PLAN_CATALOG.basic.rateLimits.chat)).toBe(true);
    expect(PLAN_TIERS.map((p) => PLAN_CATALOG[p].rank)).toEqual([0, 1, 2]);
    expect(PLAN_CATALOG.basic.features).toContain('ai_chat');
    expect(PLAN_CATALOG.basic.features).not.toContain('quiz_generation');
    expect(PLAN_CATALOG.pro.features).toContain('quiz_generation');
    expect(PLAN_CATALOG.enterprise.features).toEqual([...FEATURE_FLAGS]);
    expect(planAtLeast('pro', 'basic')).toBe(true);
    expect(planAtLeast('basic', 'pro')).toBe(false);
    expect(requiredPlanFor('api_access')).toBe('enterprise');
  });
});

describe('createStaticFeatureFlags', () => {
  const flags = createStaticFeatureFlags({ plans: { alice: 'pro', bob: 'enterprise' } });

  it('answers getUserPlan with a default', async () => {
    expect(await flags.getUserPlan('alice')).toBe('pro');
    expect(await flags.getUserPlan('nobody')).toBe('basic');
  });

  it('isEnabled follows the minimum plan per feature', async () => {
    expect(await flags.isEnabled('ai_chat', { userId: 'nobody' })).toBe(true);
    expect(await flags.isEnabled('quiz_generation', { userId: 'nobody' })).toBe(false);
    expect(await flags.isEnabled('quiz_generation', { userId: 'alice' })).toBe(true);
    expect(await flags.isEnabled('api_access', { userId: 'alice' })).toBe(false);
    expect(await flags.isEnabled('api_access', { userId: 'bob' })).toBe(true);
    expect(await flags.isEnabled('api_access', { plan: 'enterprise' })).toBe(true);
    expect(await flags.isEnabled('quiz_generation', {})).toBe(false);
    // No context: an anonymous caller on the default plan.
    expect(await flags.isEnabled('ai_chat')).toBe(true);
    expect(await flags.isEnabled('quiz_generation')).toBe(false);
    await expect(assertFeatureEnabled(flags, 'quiz_generation')).rejects.toMatchObject({
      currentPlan: 'basic',
    });
    expect(await flags.isEnabled('not_a_flag' as never, { plan: 'enterprise' })).toBe(false);
  });

  it('supports overrides, a Map of plans and plan changes', async () => {
    const f = createStaticFeatureFlags({
      plans: new Map([['u', 'basic' as const]]),
      defaultPlan: 'pro',
      overrides: { ai_chat: false, quiz_generation: 'basic', api_access: true },
    });
    expect(await f.isEnabled('ai_chat', { plan: 'enterprise' })).toBe(false);
    expect(await f.isEnabled('quiz_generation', { userId: 'u' })).toBe(true);
    expect(await f.isEnabled('api_access', { userId: 'u' })).toBe(true);
    expect(await f.isEnabled('analytics_dashboard', { userId: 'u' })).toBe(false);
    f.setUserPlan('u', 'pro');
    expect(await f.isEnabled('analytics_dashboard', { userId: 'u' })).toBe(true);
    expect(() => f.setUserPlan('u', 'gold' as never)).toThrow(TypeError);
    expect(() => createStaticFeatureFlags({ defaultPlan: 'gold' as never })).toThrow(TypeError);
  });

  it('assertFeatureEnabled throws a FeatureGateError with the plans', async () => {
    await expect(assertFeatureEnabled(flags, 'ai_chat', { userId: 'nobody' })).resolves.toBeUndefined();
    const err = await assertFeatureEnabled(flags, 'quiz_generation', { userId: 'nobody' }).catch((e) => e);
    expect(err).toBeInstanceOf(FeatureGateError);
    expect([err.feature, err.requiredPlan, err.currentPlan, err.status]).toEqual([
      'quiz_generation',
      'pro',
      'basic',
      403,
    ]);
  });
});
