/**
 * Partition suspicion: the honest nodes that answer, linked by the connections they report among
 * themselves, should form one connected graph. `components` splits them; `PartitionWatch` reports
 * a split once it has lasted `polls` rounds in a row (a node restarting splits nothing for that
 * long) and reports again when it heals.
 */
import { PARTITION_POLLS } from './constants.js';

export interface HonestNode {
  readonly name: string;
  readonly peerId: string;
  /** Peer ids it is connected to. */
  readonly connected: readonly string[];
}

/** Connected components of the nodes (by name), each sorted, largest first. */
export function components(nodes: readonly HonestNode[]): string[][] {
  const byPeerId = new Map(nodes.map((n) => [n.peerId, n.name]));
  const links = new Map<string, Set<string>>(nodes.map((n) => [n.name, new Set<string>()]));
  for (const node of nodes) {
    for (const peerId of node.connected) {
      const other = byPeerId.get(peerId);
      if (other === undefined || other === node.name) continue;
      links.get(node.name)!.add(other);
      links.get(other)!.add(node.name);
    }
  }
  const seen = new Set<string>();
  const parts: string[][] = [];
  for (const start of links.keys()) {
    if (seen.has(start)) continue;
    const part: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const name = stack.pop()!;
      part.push(name);
      for (const next of links.get(name)!) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    parts.push(part.sort());
  }
  return parts.sort((a, b) => b.length - a.length || a[0]!.localeCompare(b[0]!));
}

export class PartitionWatch {
  #splitRounds = 0;
  #reported = false;

  constructor(private readonly polls = PARTITION_POLLS) {}

  /** A feed text when a split has just lasted long enough, or a reported split has healed. */
  update(nodes: readonly HonestNode[]): string | null {
    const parts = nodes.length < 2 ? [] : components(nodes);
    if (parts.length > 1) {
      this.#splitRounds++;
      if (this.#splitRounds >= this.polls && !this.#reported) {
        this.#reported = true;
        return `partition suspected: ${parts.map((p) => `{${p.join(', ')}}`).join(' | ')}`;
      }
      return null;
    }
    this.#splitRounds = 0;
    if (this.#reported) {
      this.#reported = false;
      return 'partition healed: the nodes that answer are connected again';
    }
    return null;
  }
}
