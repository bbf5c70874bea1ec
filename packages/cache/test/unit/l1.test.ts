import { describe, expect, it } from 'vitest';
import { L1Cache } from '../../src/l1/l1.js';

const MIB = 1024 * 1024;

describe('L1Cache', () => {
  it('evicts the least recently used entry, keeping one that is still being hit', () => {
    const l1 = new L1Cache(10, MIB, 60_000);
    for (let i = 0; i < 10; i++) l1.set(`k${i}`, i, 0, undefined, 1);
    expect(l1.get('k0')?.value).toBe(0); // oldest, but hit: moves to the young end
    l1.set('k10', 10, 0, undefined, 1);
    expect(l1.size).toBe(10);
    expect(l1.get('k0')?.value).toBe(0);
    expect(l1.get('k1')).toBeUndefined(); // the least recently used went
  });

  it('drops entries by key, tag and pattern, and keeps null values as hits', () => {
    const l1 = new L1Cache(100, MIB, 60_000);
    l1.set('a', null, 0, 'student:1', 4);
    l1.set('b', 2, 0, 'student:1', 1);
    l1.set('c', 3, 0, 'student:2', 1);
    l1.set('video:1', 4, 0, undefined, 1);
    expect(l1.get('a')).toEqual(expect.objectContaining({ value: null }));
    l1.deleteTags(['student:1']);
    expect(l1.get('a')).toBeUndefined();
    expect(l1.get('b')).toBeUndefined();
    expect(l1.get('c')?.value).toBe(3);
    l1.deleteMatching(/^video:/);
    expect(l1.get('video:1')).toBeUndefined();
    l1.delete('c');
    expect(l1.size).toBe(0);
    expect(l1.byteSize).toBe(0);
  });

  it('holds at most maxBytes of encoded values, evicting the least recently used; never one larger than that', () => {
    const l1 = new L1Cache(1_000, 10 * MIB, 60_000);
    // Twenty values of 1 MiB each under a 10 MiB budget: only the newest nine or ten stay.
    for (let i = 0; i < 20; i++) l1.set(`big${i}`, { i }, 0, undefined, MIB);
    expect(l1.byteSize).toBeLessThanOrEqual(10 * MIB);
    expect(l1.get('big0')).toBeUndefined();
    expect(l1.get('big19')?.value).toEqual({ i: 19 });
    // Replacing an entry re-counts it instead of adding to it.
    const before = l1.byteSize;
    l1.set('big19', { i: 19 }, 0, undefined, MIB);
    expect(l1.byteSize).toBe(before);
    // A value bigger than the whole budget is not kept (and does not flush everything else out).
    const size = l1.size;
    l1.set('huge', 'x', 0, undefined, 11 * MIB);
    expect(l1.get('huge')).toBeUndefined();
    expect(l1.size).toBe(size);
  });
});
