// Smoke for @mentora/config, run in a consumer project against the published package.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import {
  ConfigError,
  createStaticFeatureFlags,
  getRateLimitRule,
  Secret,
  validateConfig,
} from '@mentora/config';

// The test profile runs on defaults: no variables needed.
const config = validateConfig({}, { profile: 'test' });
assert.equal(config.cache.driver, 'memory');
assert.equal(String(config.database.serviceRoleKey), '[redacted]');
assert.ok(!inspect(config).includes(config.database.serviceRoleKey.reveal()));

// Production refuses missing values, naming every variable and never a value.
assert.throws(
  () => validateConfig({ NEXT_PUBLIC_SUPABASE_URL: 'not a url' }, { profile: 'production' }),
  (error: unknown) =>
    error instanceof ConfigError &&
    error.issues.some((issue) => issue.variable === 'NEXT_PUBLIC_SUPABASE_URL') &&
    !error.message.includes('not a url'),
);

assert.equal(JSON.stringify({ key: new Secret('sk_live_1', 'KEY') }), '{"key":"[redacted]"}');
assert.equal(getRateLimitRule('chat', 'basic').limit, 10);
const flags = createStaticFeatureFlags({ plans: { 'user-1': 'pro' }, defaultPlan: 'basic' });
assert.equal(await flags.getUserPlan('user-1'), 'pro');
assert.equal(await flags.isEnabled('quiz_generation', { userId: 'user-1' }), true);
console.log('config smoke ok');
