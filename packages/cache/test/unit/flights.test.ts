import { describe, expect, it } from 'vitest';
import { type Flight, Flights } from '../../src/flights.js';

function flight(key: string): Flight {
  return {
    key,
    storeKey: `ns|${key}`,
    tag: undefined,
    compute: () => key,
    ttlMs: 1000,
    lease: false,
    epoch: 0,
    version: null,
    storeUp: true,
    superseded: false,
    current: false,
    promise: Promise.resolve(key),
  };
}

describe('Flights', () => {
  it('is joined while running, not after it ended or was superseded', () => {
    const flights = new Flights();
    const a = flight('a');
    flights.start(a);
    expect(flights.get('a')).toBe(a);
    flights.end(a);
    expect(flights.get('a')).toBeUndefined();
    const b = flight('a');
    flights.start(b);
    flights.supersede('a');
    expect(b.superseded).toBe(true);
    expect(flights.get('a')).toBeUndefined();
    flights.end(b); // a superseded flight ending later changes nothing
    const c = flight('a');
    flights.start(c);
    flights.end(b);
    expect(flights.get('a')).toBe(c);
  });

  it('stays bounded over many distinct keys, and never sweeps a running flight', () => {
    const flights = new Flights();
    const running = flight('running');
    flights.start(running);
    for (let i = 0; i < 100_000; i++) {
      const f = flight(`k${i}`);
      flights.start(f);
      flights.end(f);
    }
    expect(flights.size).toBeLessThanOrEqual(2048);
    expect(flights.get('running')).toBe(running);
  });
});
