import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeAddr,
  decodeAddrRequest,
  encodeAddr,
  encodeAddrRequest,
  encodeGetAddr,
  isDialableEntry,
} from '../../../src/p2p/membership/addr-codec.js';
import { Addr, AddrRequest } from '../../../src/p2p/membership/addr.pb.js';
import { AddrRateLimiter } from '../../../src/p2p/membership/addr-rate-limiter.js';
import { MAX_ADDR_ENTRIES } from '../../../src/p2p/membership/constants.js';
import { WireError } from '../../../src/p2p/wire/errors.js';

const PEER = '12D3KooWBH3cbaahQP8gSAcohvDrqoPT32Vx667vk7sStb1KtR4K';
const entry = (port: number) => ({
  peerId: PEER,
  addr: `/ip4/127.5.0.1/tcp/${port}`,
  lastSeen: 1_700_000_000_000,
});

function kindOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof WireError) return err.kind;
    throw err;
  }
  return 'ok';
}

describe('addr codec', () => {
  it('round-trips getaddr, an unsolicited Addr and a getaddr answer', () => {
    expect(decodeAddrRequest(encodeGetAddr())).toEqual({ kind: 'getAddr' });
    expect(decodeAddrRequest(encodeAddrRequest([entry(1)]))).toEqual({ kind: 'addr', entries: [entry(1)] });
    expect(decodeAddr(encodeAddr([entry(1), entry(2)]))).toEqual([entry(1), entry(2)]);
    expect(decodeAddr(encodeAddr([{ ...entry(3), addr: '/ip6/::1/tcp/3' }]))[0]!.addr).toBe('/ip6/::1/tcp/3');
  });

  it('refuses more than 1,000 entries as OVERSIZE, garbage as MALFORMED, re-encodings as NON_CANONICAL', () => {
    const many = Array.from({ length: MAX_ADDR_ENTRIES + 1 }, (_, i) => entry(i + 1));
    expect(() => encodeAddr(many)).toThrow(RangeError);
    const wire = Addr.encode({ addrs: many.map(() => Addr.decode(encodeAddr([entry(1)])).addrs[0]!) });
    expect(kindOf(() => decodeAddr(wire))).toBe('OVERSIZE');
    const one = Addr.decode(encodeAddr([entry(1)])).addrs[0]!;
    const bad = (patch: Partial<typeof one>) => Addr.encode({ addrs: [{ ...one, ...patch }] });
    expect(kindOf(() => decodeAddr(bad({ peerId: new Uint8Array([1, 2, 3]) })))).toBe('MALFORMED');
    expect(kindOf(() => decodeAddr(bad({ multiaddr: new Uint8Array([0xff, 0xff]) })))).toBe('MALFORMED');
    // A well-formed multiaddr of another shape (dns4) is MALFORMED too.
    const dns = new Uint8Array([0x36, 7, ...new TextEncoder().encode('example'), 0x06, 0x23, 0x28]);
    expect(kindOf(() => decodeAddr(bad({ multiaddr: dns })))).toBe('MALFORMED');
    expect(kindOf(() => decodeAddrRequest(AddrRequest.encode({})))).toBe('MALFORMED');
    const unknownField = new Uint8Array([...encodeGetAddr(), 0x18, 0x01]);
    expect(kindOf(() => decodeAddrRequest(unknownField))).toBe('NON_CANONICAL');
    expect(kindOf(() => decodeAddr(new Uint8Array(200 * 1024)))).toBe('OVERSIZE');
  });

  it('filters undialable but well-formed addresses', () => {
    expect(isDialableEntry(entry(1))).toBe(true);
    expect(isDialableEntry({ ...entry(1), addr: '/ip4/0.0.0.0/tcp/1' })).toBe(false);
    expect(isDialableEntry({ ...entry(1), addr: '/ip4/224.0.0.1/tcp/1' })).toBe(false);
    expect(isDialableEntry({ ...entry(0) })).toBe(false);
    expect(isDialableEntry({ ...entry(1), addr: '/ip6/::/tcp/1' })).toBe(false);
    expect(isDialableEntry({ ...entry(1), addr: '/ip6/ff02::1/tcp/1' })).toBe(false);
    expect(isDialableEntry({ ...entry(1), addr: '/ip6/2001:db8::1/tcp/1' })).toBe(true);
  });
});

describe('AddrRateLimiter', () => {
  it("Core's bucket: 1 token at first, 0.1 per second, +1,000 for a solicited answer", () => {
    const l = new AddrRateLimiter();
    expect(l.takeAddresses('a', 5, 0)).toBe(1);
    expect(l.takeAddresses('a', 5, 9_999)).toBe(0);
    expect(l.takeAddresses('a', 5, 10_000)).toBe(1);
    l.solicited('a', 10_000);
    expect(l.takeAddresses('a', 2_000, 10_000)).toBe(1_000);
  });

  it('admits 20 streams at once, then one per second', () => {
    const l = new AddrRateLimiter();
    for (let i = 0; i < 20; i++) expect(l.admitStream('a', 0)).toBe(true);
    expect(l.admitStream('a', 0)).toBe(false);
    expect(l.admitStream('a', 999)).toBe(false);
    expect(l.admitStream('a', 1_000)).toBe(true);
    expect(l.admitStream('b', 1_000)).toBe(true);
  });

  it('never accepts more than initial + rate x time + solicited grants (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dt: fc.integer({ min: 0, max: 30_000 }),
            count: fc.integer({ min: 0, max: 1_500 }),
            solicit: fc.boolean(),
          }),
          { maxLength: 60 },
        ),
        (steps) => {
          const l = new AddrRateLimiter();
          let now = 0;
          let accepted = 0;
          let grants = 0;
          for (const step of steps) {
            now += step.dt;
            if (step.solicit) {
              l.solicited('p', now);
              grants++;
            }
            const got = l.takeAddresses('p', step.count, now);
            expect(got).toBeGreaterThanOrEqual(0);
            expect(got).toBeLessThanOrEqual(step.count);
            accepted += got;
            expect(accepted).toBeLessThanOrEqual(1 + (now / 1_000) * 0.1 + grants * 1_000 + 1e-9);
            expect(l.tokens('p', now)).toBeLessThanOrEqual(1_000);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
