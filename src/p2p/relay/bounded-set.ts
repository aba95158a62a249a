/**
 * A set with a maximum size that forgets its oldest entries first: the memory a peer can make us
 * spend on remembering rejected objects stays bounded.
 */
export class BoundedSet {
  private readonly entries = new Set<string>();

  constructor(private readonly capacity: number) {}

  add(key: string): void {
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.values().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
