import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressBook } from '../../../src/p2p/membership/address-book.js';
import {
  BUCKET_SIZE,
  NEW_BUCKET_COUNT,
  NEW_BUCKETS_PER_SOURCE_GROUP,
  TRIED_BUCKETS_PER_GROUP,
} from '../../../src/p2p/membership/constants.js';
import { netgroupFunction } from '../../../src/p2p/membership/netgroup.js';

const NOW = 1_700_000_000_000;
const group = netgroupFunction('ipv4-16');

function book(seed = 1): AddressBook {
  const secret = new Uint8Array(32).fill(seed);
  return new AddressBook({ secret, netgroup: group });
}

/** A deterministic PRNG in [0, 1) for selections. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const addr = (a: number, b: number, c: number, port: number): string => `/ip4/${a}.${b}.0.${c}/tcp/${port}`;
const id = (n: number): string => `peer-${n}`;

describe('AddressBook basics', () => {
  it('adds, refreshes, promotes to tried and removes', () => {
    const b = book();
    expect(
      b.add({ peerId: id(1), addrs: [addr(10, 1, 1, 9000)], lastSeen: NOW - 5_000 }, { group: 'self' }, NOW),
    ).toBe('added');
    expect(
      b.add({ peerId: id(1), addrs: [addr(10, 1, 1, 9000)], lastSeen: NOW }, { group: 'self' }, NOW),
    ).toBe('updated');
    expect(b.get(id(1))!.lastSeen).toBe(NOW);
    expect(b.add({ peerId: id(1), addrs: [addr(10, 1, 1, 9001)], lastSeen: NOW }, { group: 'x' }, NOW)).toBe(
      'peer-moved',
    );
    expect(b.add({ peerId: id(2), addrs: [addr(10, 1, 1, 9000)], lastSeen: NOW }, { group: 'x' }, NOW)).toBe(
      'address-taken',
    );
    expect(
      b.add({ peerId: id(3), addrs: ['/dns4/example.org/tcp/1'], lastSeen: NOW }, { group: 'x' }, NOW),
    ).toBe('unroutable');
    expect(
      b.add(
        { peerId: id(3), addrs: [addr(10, 2, 1, 1)], lastSeen: NOW - 31 * 86_400_000 },
        { group: 'x' },
        NOW,
      ),
    ).toBe('stale');
    expect(b.good(id(1), NOW)).toBe('tried');
    expect(b.get(id(1))!.table).toBe('tried');
    expect(b.count('tried')).toBe(1);
    b.sanityCheck();
    expect(b.remove(id(1))).toBe(true);
    expect(b.size).toBe(0);
    b.sanityCheck();
  });

  it('replaces a lying future lastSeen by now minus 5 days', () => {
    const b = book();
    b.add({ peerId: id(1), addrs: [addr(10, 1, 1, 1)], lastSeen: NOW + 3_600_000 }, { group: 'self' }, NOW);
    expect(b.get(id(1))!.lastSeen).toBe(NOW - 5 * 86_400_000);
  });

  it('lets a terrible entry be replaced by an address claim, never a healthy one', () => {
    const b = book();
    b.add({ peerId: id(1), addrs: [addr(10, 1, 1, 1)], lastSeen: NOW }, { group: 'self' }, NOW);
    for (let i = 0; i < 3; i++) b.attempt(id(1), NOW - 3_600_000);
    expect(b.isTerrible(b.get(id(1))!, NOW)).toBe(true);
    expect(b.add({ peerId: id(2), addrs: [addr(10, 1, 1, 1)], lastSeen: NOW }, { group: 'x' }, NOW)).toBe(
      'added',
    );
    expect(b.get(id(1))).toBeUndefined();
    b.sanityCheck();
  });

  it('resolves a tried collision by test-before-evict', () => {
    const b = book();
    // Find two addresses of one netgroup that share a tried slot.
    const seen = new Map<string, number>();
    let pair: [number, number] | undefined;
    for (let port = 1; pair === undefined; port++) {
      const key = `10.1.0.1/${port}`;
      const bucket = b.triedBucket(key, 'ipv4:10.1');
      const pos = `${bucket}/${b.slotOf('tried', bucket, key)}`;
      if (seen.has(pos)) pair = [seen.get(pos)!, port];
      seen.set(pos, port);
    }
    const [p1, p2] = pair;
    b.add({ peerId: id(1), addrs: [addr(10, 1, 1, p1)], lastSeen: NOW }, { group: 'self' }, NOW);
    b.add({ peerId: id(2), addrs: [addr(10, 1, 1, p2)], lastSeen: NOW }, { group: 'other' }, NOW);
    expect(b.good(id(1), NOW)).toBe('tried');
    expect(b.good(id(2), NOW)).toBe('collision');
    expect(b.triedCollisionToTest()?.occupant.peerId).toBe(id(1));
    b.resolveCollision(id(2), true, NOW);
    expect(b.get(id(1))!.table).toBe('tried');
    expect(b.get(id(2))!.table).toBe('new');
    expect(b.good(id(2), NOW + 1)).toBe('collision');
    b.resolveCollision(id(2), false, NOW + 2);
    expect(b.get(id(2))!.table).toBe('tried');
    expect(b.get(id(1))!.table).toBe('new');
    b.sanityCheck();
  });

  it('restores a snapshot at the same positions with the same secret', () => {
    const b = book(7);
    for (let i = 0; i < 50; i++)
      b.add(
        { peerId: id(i), addrs: [addr(10, i, 1, 9000)], lastSeen: NOW },
        { group: `ipv4:10.${i % 5}` },
        NOW,
      );
    b.good(id(3), NOW);
    const copy = book(7);
    for (const entry of b.entriesList()) expect(copy.restore(entry)).toBe(true);
    expect(copy.entriesList().map((e) => [e.peerId, e.table, e.bucket, e.slot])).toEqual(
      b.entriesList().map((e) => [e.peerId, e.table, e.bucket, e.slot]),
    );
    copy.sanityCheck();
  });
});

describe('AddressBook bounds (property)', () => {
  it('one source netgroup fills at most 64 new buckets, and one bucket per address netgroup', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            a: fc.integer({ min: 1, max: 223 }),
            b: fc.integer({ min: 0, max: 255 }),
            c: fc.integer({ min: 0, max: 255 }),
            port: fc.integer({ min: 1, max: 65_535 }),
          }),
          { minLength: 1, maxLength: 400 },
        ),
        fc.integer({ min: 1, max: 250 }),
        (addrs, seed) => {
          const b = book(seed);
          const source = 'ipv4:66.6';
          addrs.forEach(({ a, b: bb, c, port }, i) =>
            b.add({ peerId: id(i), addrs: [addr(a, bb, c, port)], lastSeen: NOW }, { group: source }, NOW),
          );
          b.sanityCheck();
          const entries = b.entriesList();
          const buckets = new Set(entries.map((e) => e.bucket));
          expect(buckets.size).toBeLessThanOrEqual(NEW_BUCKETS_PER_SOURCE_GROUP);
          const perGroup = new Map<string, Set<number>>();
          for (const e of entries)
            perGroup.set(e.netgroup, (perGroup.get(e.netgroup) ?? new Set()).add(e.bucket));
          for (const set of perGroup.values()) expect(set.size).toBe(1);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('any number of Sybil identities on one address netgroup take at most one bucket (64 slots)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 250 }), (sybils, seed) => {
        const b = book(seed);
        // Honest entries from many sources first.
        for (let i = 0; i < 40; i++)
          b.add(
            { peerId: id(i), addrs: [addr(10, i, 0, 9000)], lastSeen: NOW },
            { group: `ipv4:10.${i}` },
            NOW,
          );
        const honest = b.size;
        // Sybils: one address (127.66.0.1), one source netgroup, every port a new identity.
        for (let i = 0; i < sybils; i++)
          b.add(
            { peerId: `sybil-${i}`, addrs: [addr(127, 66, 1, 1 + i)], lastSeen: NOW },
            { group: 'ipv4:127.66' },
            NOW,
          );
        const sybilEntries = b.entriesList().filter((e) => e.peerId.startsWith('sybil-'));
        expect(sybilEntries.length).toBeLessThanOrEqual(BUCKET_SIZE);
        expect(new Set(sybilEntries.map((e) => e.bucket)).size).toBeLessThanOrEqual(1);
        // No honest entry was displaced.
        expect(b.size - sybilEntries.length).toBe(honest);
        b.sanityCheck();
      }),
      { numRuns: 25 },
    );
  });

  it('one netgroup reaches at most 8 tried buckets', () => {
    const b = book(3);
    for (let i = 0; i < 2_000; i++) {
      b.add(
        { peerId: id(i), addrs: [addr(10, 9, i % 250, 1_000 + i)], lastSeen: NOW },
        { group: `src${i % 300}` },
        NOW,
      );
      b.good(id(i), NOW);
    }
    const tried = b.entriesList().filter((e) => e.table === 'tried');
    expect(tried.length).toBeGreaterThan(0);
    expect(new Set(tried.map((e) => e.bucket)).size).toBeLessThanOrEqual(TRIED_BUCKETS_PER_GROUP);
    b.sanityCheck();
  });

  it('selection picks buckets first: 1,000 Sybil entries in one bucket are chosen about as often as one honest entry', () => {
    const b = book(9);
    for (let i = 0; i < 10; i++)
      b.add({ peerId: id(i), addrs: [addr(10, i, 0, 9000)], lastSeen: NOW }, { group: `ipv4:10.${i}` }, NOW);
    for (let i = 0; i < 1_000; i++)
      b.add(
        { peerId: `sybil-${i}`, addrs: [addr(127, 66, 1, 1 + i)], lastSeen: NOW },
        { group: 'ipv4:127.66' },
        NOW,
      );
    const random = rng(42);
    const honestBuckets = new Set(
      b
        .entriesList()
        .filter((e) => !e.peerId.startsWith('sybil'))
        .map((e) => e.bucket),
    );
    let sybilPicks = 0;
    const draws = 2_000;
    for (let i = 0; i < draws; i++) {
      if (b.select({ now: NOW, random })!.peerId.startsWith('sybil')) sybilPicks++;
    }
    // One Sybil bucket among honestBuckets.size + 1 non-empty buckets.
    const expected = draws / (honestBuckets.size + 1);
    expect(sybilPicks).toBeLessThan(expected * 1.6);
    expect(NEW_BUCKET_COUNT).toBe(1_024);
  });

  it('select honours the filter and returns nothing when nobody passes', () => {
    const b = book();
    b.add({ peerId: id(1), addrs: [addr(10, 1, 1, 1)], lastSeen: NOW }, { group: 'self' }, NOW);
    b.add({ peerId: id(2), addrs: [addr(10, 2, 1, 1)], lastSeen: NOW }, { group: 'self' }, NOW);
    const random = rng(1);
    for (let i = 0; i < 20; i++)
      expect(b.select({ now: NOW, random, filter: (e) => e.peerId === id(2) })!.peerId).toBe(id(2));
    expect(b.select({ now: NOW, random, filter: () => false })).toBeUndefined();
    b.good(id(1), NOW);
    for (let i = 0; i < 20; i++) expect(b.select({ now: NOW, random, newOnly: true })!.peerId).toBe(id(2));
  });

  it('answers getaddr with the whole small book, 23% of a large one', () => {
    const b = book();
    for (let i = 0; i < 80; i++)
      b.add({ peerId: id(i), addrs: [addr(10, i, 1, 1)], lastSeen: NOW }, { group: `g${i}` }, NOW);
    expect(b.sample(NOW, rng(3)).length).toBe(80);
    for (let i = 80; i < 1_000; i++)
      b.add(
        { peerId: id(i), addrs: [addr(11, i % 250, i % 200, i)], lastSeen: NOW },
        { group: `g${i}` },
        NOW,
      );
    expect(b.sample(NOW, rng(3)).length).toBe(Math.floor((b.size * 23) / 100));
  });

  it('rejects a short secret', () => {
    expect(() => new AddressBook({ secret: randomBytes(8), netgroup: group })).toThrow(RangeError);
  });
});
