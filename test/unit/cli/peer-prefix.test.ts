import { describe, expect, it } from 'vitest';
import { PeerResolutionError, UsageError } from '../../../src/cli/errors.js';
import { matchPeerPrefix } from '../../../src/cli/peer-prefix.js';
import { PEER_BAD, PEER_OK1, PEER_OK2, PEER_SLOW } from '../rpc/fake-node-api.js';

const KNOWN = [PEER_BAD, PEER_SLOW, PEER_OK1, PEER_OK2, PEER_OK1];

describe('matchPeerPrefix', () => {
  it('resolves a unique prefix, the shortened form shown in tables, and a full id', () => {
    expect(matchPeerPrefix('12D3KooWQ', KNOWN)).toBe(PEER_BAD);
    expect(matchPeerPrefix('12D3KooWAb', KNOWN)).toBe(PEER_OK1);
    expect(matchPeerPrefix(`${PEER_OK2.slice(0, 14)}…`, KNOWN)).toBe(PEER_OK2);
    expect(matchPeerPrefix(`${PEER_SLOW.slice(0, 12)}...`, KNOWN)).toBe(PEER_SLOW);
    expect(matchPeerPrefix(PEER_BAD, KNOWN)).toBe(PEER_BAD);
  });

  it('refuses an ambiguous prefix and lists the candidates', () => {
    expect(() => matchPeerPrefix('12D3KooWA', KNOWN)).toThrow(PeerResolutionError);
    expect(() => matchPeerPrefix('12D3KooWA', KNOWN)).toThrow(/ambiguous.*12D3KooWAb9c.*12D3KooWAc4h/);
    expect(() => matchPeerPrefix('12D3', KNOWN)).toThrow(/ambiguous/);
  });

  it('refuses an unknown prefix, but passes an unknown full-length id through (to pre-ban it)', () => {
    expect(() => matchPeerPrefix('12D3KooWZ', KNOWN)).toThrow(/no known peer id starts with '12D3KooWZ'/);
    const stranger = `12D3KooW${'Z'.repeat(44)}`;
    expect(matchPeerPrefix(stranger, KNOWN)).toBe(stranger);
    expect(() => matchPeerPrefix('…', KNOWN)).toThrow(UsageError);
  });

  it('is case-sensitive, as base58 is', () => {
    expect(() => matchPeerPrefix('12d3koowq', KNOWN)).toThrow(PeerResolutionError);
  });
});
