/**
 * A network of hosts on this machine: one Linux network namespace per host, each with a veth to a
 * private bridge (attached to no real interface), its own address and its link shaping
 * (link-shaping.ts). Creating one first cleans up what crashed launchers left (slots.ts); `destroy`
 * removes everything it created and is safe to call twice.
 *
 * @example
 * ```ts
 * const net = await HostNetwork.create(6, { latencyMs: 40, jitterMs: 10, lossPercent: 0.5, rateKbit: null });
 * // spawn `ip netns exec <net.hosts[0].namespace> node ...`
 * await net.partition([[1, 2, 3], [4, 5, 6]]);
 * await net.heal();
 * await net.destroy();
 * ```
 */
import { type HostPlan, hostPlan, MAX_HOSTS, type SlotPlan, slotPlan } from './addressing.js';
import { type LinkShape, NFT_TABLE, nftRuleset, tbfArgs } from './link-shaping.js';
import { acquireSlot, cleanStale, releaseSlot, removeSlotResources } from './slots.js';
import { checkPrerequisites, run } from './system.js';

/** The host-side interface name inside every namespace. */
const HOST_DEVICE = 'eth0';

export class HostNetwork {
  private destroyed = false;
  private cut = false;

  private constructor(
    readonly slot: SlotPlan,
    readonly hosts: readonly HostPlan[],
    readonly shape: LinkShape,
  ) {}

  /** Checks rights and tools, cleans stale testnets, claims a slot and builds `count` hosts. */
  static async create(count: number, shape: LinkShape): Promise<HostNetwork> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) {
      throw new RangeError(`a testnet has 1-${MAX_HOSTS} hosts (got ${count})`);
    }
    await checkPrerequisites();
    await cleanStale();
    const slot = await acquireSlot();
    const plan = slotPlan(slot);
    const hosts = Array.from({ length: count }, (_, i) => hostPlan(slot, i + 1));
    const network = new HostNetwork(plan, hosts, shape);
    try {
      await network.build();
    } catch (err) {
      await network.destroy();
      throw err;
    }
    return network;
  }

  private async build(): Promise<void> {
    const { slot, hosts, shape } = this;
    const root = [
      `link add ${slot.bridge} type bridge`,
      `addr add ${slot.driverCidr} dev ${slot.bridge}`,
      `link set ${slot.bridge} up`,
      ...hosts.flatMap((h) => [
        `netns add ${h.namespace}`,
        `link add ${h.veth} type veth peer name ${HOST_DEVICE} netns ${h.namespace}`,
        `link set ${h.veth} master ${slot.bridge} up`,
      ]),
    ];
    await run('ip', ['-batch', '-'], `${root.join('\n')}\n`);
    await Promise.all(
      hosts.map(async (h) => {
        const inside = [
          `addr add ${h.cidr} dev ${HOST_DEVICE}`,
          `link set ${HOST_DEVICE} up`,
          'link set lo up',
        ];
        await run('ip', ['-n', h.namespace, '-batch', '-'], `${inside.join('\n')}\n`);
        await run(
          'ip',
          ['netns', 'exec', h.namespace, 'nft', '-f', '-'],
          nftRuleset(shape, slot.network, slot.driverAddress),
        );
        const tbf = tbfArgs(shape, HOST_DEVICE);
        if (tbf !== null) await run('tc', ['-n', h.namespace, ...tbf]);
      }),
    );
  }

  /** The host plan of 1-based host `index`. */
  host(index: number): HostPlan {
    const host = this.hosts[index - 1];
    if (host === undefined) throw new RangeError(`no host ${index}`);
    return host;
  }

  /** Cuts the hosts into groups (1-based indexes): no packet crosses between two groups. */
  async partition(groups: readonly (readonly number[])[]): Promise<void> {
    await Promise.all(
      groups.flatMap((group, g) => {
        const others = groups.flatMap((other, o) => (o === g ? [] : other)).map((i) => this.host(i).address);
        if (others.length === 0) return [];
        return group.map((i) =>
          run('ip', [
            'netns',
            'exec',
            this.host(i).namespace,
            'nft',
            `add element ip ${NFT_TABLE} cut { ${others.join(', ')} }`,
          ]),
        );
      }),
    );
    this.cut = true;
  }

  /** Ends every partition. */
  async heal(): Promise<void> {
    await Promise.all(
      this.hosts.map((h) =>
        run('ip', ['netns', 'exec', h.namespace, 'nft', `flush set ip ${NFT_TABLE} cut`]),
      ),
    );
    this.cut = false;
  }

  get partitioned(): boolean {
    return this.cut;
  }

  /** Removes the namespaces (and any process left in them), the veths and the bridge; frees the slot. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    await removeSlotResources(
      this.hosts.map((h) => h.namespace),
      [...this.hosts.map((h) => h.veth), this.slot.bridge],
    );
    await releaseSlot(this.slot.slot);
  }
}
