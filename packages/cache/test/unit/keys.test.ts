import { describe, expect, it } from 'vitest';
import { globToRegExp } from '../../src/glob.js';
import { CacheTTL, escapeGlob, keySegment, tagOfKey } from '../../src/index.js';
import { CacheKeys, CacheKeyTTL, CacheTags } from '../../src/mentora/index.js';
import { sha256Hex } from '../../src/mentora/keys.js';

describe('CacheKeys', () => {
  it('hashes embedding text with SHA-256', () => {
    // echo -n 'abc' | sha256sum
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(CacheKeys.embedding('abc')).toBe(
      'embedding:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(CacheKeys.embedding('abc', 'text-embedding-3-small')).toMatch(
      /^embedding:text-embedding-3-small:/,
    );
    // The seeds' 32-bit hash collides on these two; SHA-256 does not.
    expect(CacheKeys.embedding('Aa')).not.toBe(CacheKeys.embedding('BB'));
  });

  it('scopes entity keys to their tag through the hash tag', () => {
    expect(CacheKeys.studentProgress('s1')).toBe('student:progress:{student:s1}');
    expect(tagOfKey(CacheKeys.studentProgress('s1'))).toBe(CacheTags.student('s1'));
    expect(tagOfKey(CacheKeys.studentAchievements('s1'))).toBe(CacheTags.student('s1'));
    expect(tagOfKey(CacheKeys.videosByCreator('c1', 3))).toBe(CacheTags.creatorVideos('c1'));
    expect(tagOfKey(CacheKeys.userPlan('u1'))).toBe(CacheTags.membership('u1'));
    expect(tagOfKey(CacheKeys.chatHistory('x'))).toBe(CacheTags.chatSession('x'));
    expect(tagOfKey(CacheKeys.rateLimit('u1', 'chat'))).toBeUndefined();
    expect(tagOfKey(CacheKeys.embedding('t'))).toBeUndefined();
    expect(tagOfKey('a:{}:b')).toBeUndefined(); // Redis hashes the whole key then, too
  });

  it('cannot be steered into another entity’s scope with braces in an id', () => {
    const evil = CacheKeys.studentProgress('s2}{student:s1');
    expect(tagOfKey(evil)).toBe('student:s2%7D%7Bstudent:s1');
    expect(tagOfKey(evil)).not.toBe(CacheTags.student('s1'));
    expect(keySegment('50%')).toBe('50%25');
  });

  it('has every key of the seeds, with a TTL for each family', () => {
    for (const name of [
      'chatSession',
      'chatHistory',
      'membership',
      'video',
      'videosByCreator',
      'embedding',
      'rateLimit',
      'creatorSettings',
      'studentProgress',
      'studentAchievements',
      'quizAttempt',
      'userPlan',
      'userProfile',
      'analytics',
    ]) {
      expect(CacheKeys).toHaveProperty(name);
      expect(CacheKeyTTL).toHaveProperty(name);
    }
    expect(CacheKeyTTL.embedding).toBe(CacheTTL.PERMANENT);
    expect(CacheTTL).toMatchObject({ SHORT: 60, MEDIUM: 300, LONG: 3600, DAY: 86_400 });
  });

  it('builds seed patterns that match only that entity', () => {
    const re = globToRegExp(CacheKeys.studentPattern('s*1'));
    expect(re.test(CacheKeys.studentProgress('s*1'))).toBe(true);
    expect(re.test(CacheKeys.studentProgress('s21'))).toBe(false);
    const creator = globToRegExp(CacheKeys.creatorPattern('c1'));
    expect(creator.test(CacheKeys.videosByCreator('c1', 9))).toBe(true);
    expect(creator.test(CacheKeys.videosByCreator('c10', 9))).toBe(false);
  });
});

describe('globToRegExp', () => {
  it('follows Redis glob rules', () => {
    expect(globToRegExp('a*').test('abc')).toBe(true);
    expect(globToRegExp('a?c').test('abc')).toBe(true);
    expect(globToRegExp('a?c').test('abbc')).toBe(false);
    expect(globToRegExp('[a-c]x').test('bx')).toBe(true);
    expect(globToRegExp('[^a-c]x').test('bx')).toBe(false);
    expect(globToRegExp('a\\*').test('a*')).toBe(true);
    expect(globToRegExp('a\\*').test('ab')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('*').test('line\nbreak')).toBe(true);
    expect(globToRegExp(escapeGlob('x*?[]')).test('x*?[]')).toBe(true);
  });
});
