import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/breaker.ts';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, lets one probe through after the cool-down, and closes on success', () => {
    const changes: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 3, coolDownMs: 0 }, (s) => changes.push(s));
    b.failure(new Error('1'));
    b.success(); // not consecutive
    b.failure(new Error('1'));
    b.failure(new Error('2'));
    expect(b.state).toBe('closed');
    b.failure(new Error('3'));
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(true); // cool-down of 0: the probe
    expect(b.state).toBe('half-open');
    expect(b.allow()).toBe(false); // only one probe at a time
    b.failure(new Error('probe failed'));
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['open', 'half-open', 'open', 'half-open', 'closed']);
  });

  it('fails fast while cooling down', () => {
    const b = new CircuitBreaker({ failureThreshold: 1, coolDownMs: 600_000 }, () => {});
    b.failure(new Error('down'));
    expect(b.allow()).toBe(false);
    expect(b.retryInMs()).toBeGreaterThan(0);
  });
});
