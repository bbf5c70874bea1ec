import { describe, expect, it } from 'vitest';
import { L1Cache } from '../src/l1.js';

describe('L1Cache', () => {
  it('evicts the least recently used entry, keeping one that is still being hit', () => {
    const l1 = new L1Cache(10, 60_000);
    for (let i = 0; i < 10; i++) l1.set(`k${i}`, i, 0, undefined);
    expect(l1.get('k0')?.value).toBe(0); // oldest, but hit: moves to the young end
    l1.set('k10', 10, 0, undefined);
    expect(l1.size).toBe(10);
    expect(l1.get('k0')?.value).toBe(0);
    expect(l1.get('k1')).toBeUndefined(); // the least recently used went
  });

  it('drops entries by key, tag and pattern, and keeps null values as hits', () => {
    const l1 = new L1Cache(100, 60_000);
    l1.set('a', null, 0, 'student:1');
    l1.set('b', 2, 0, 'student:1');
    l1.set('c', 3, 0, 'student:2');
    l1.set('video:1', 4, 0, undefined);
    expect(l1.get('a')).toEqual(expect.objectContaining({ value: null }));
    l1.deleteTags(['student:1']);
    expect(l1.get('a')).toBeUndefined();
    expect(l1.get('b')).toBeUndefined();
    expect(l1.get('c')?.value).toBe(3);
    l1.deleteMatching(/^video:/);
    expect(l1.get('video:1')).toBeUndefined();
    l1.delete('c');
    expect(l1.size).toBe(0);
  });
});
