/** KnownInventory: who has which recent object, within its bounds. */
import { describe, expect, it } from 'vitest';
import { KnownInventory, MAX_KNOWN_PEERS_PER_OBJECT } from '../../../src/p2p/relay/known-inventory.js';

describe('KnownInventory', () => {
  it('remembers holders per object and forgets the oldest object first', () => {
    const known = new KnownInventory(2);
    known.add('tx:a', 'p1');
    known.add('tx:a', 'p2');
    known.add('tx:b', 'p1');
    expect(known.has('tx:a', 'p2')).toBe(true);
    expect(known.has('tx:b', 'p2')).toBe(false);
    known.add('tx:c', 'p3'); // evicts tx:a, the oldest
    expect(known.size).toBe(2);
    expect(known.has('tx:a', 'p1')).toBe(false);
    expect(known.has('tx:b', 'p1')).toBe(true);
    expect(known.has('tx:c', 'p3')).toBe(true);
  });

  it('caps the peers remembered for one object', () => {
    const known = new KnownInventory(1);
    for (let i = 0; i < MAX_KNOWN_PEERS_PER_OBJECT + 10; i++) known.add('tx:a', `p${i}`);
    expect(known.has('tx:a', `p${MAX_KNOWN_PEERS_PER_OBJECT - 1}`)).toBe(true);
    expect(known.has('tx:a', `p${MAX_KNOWN_PEERS_PER_OBJECT}`)).toBe(false);
    expect(() => new KnownInventory(0)).toThrow(RangeError);
  });
});
