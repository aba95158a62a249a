/**
 * The shared stage of the attack-kind tests: one in-process network of two honest victims (h0 -
 * h1) that attacker after attacker dials (each a real attacker node, src/attacks/node.ts, with its
 * own identity and dev account), and what the tests read from the victims: who quarantined the
 * attacker, with which offences, and how long after its first offence.
 */
import type { Misbehaviour } from '../../../src/attacks/attack.js';
import { attackHooks } from '../../../src/attacks/node.js';
import type { TrustmeshNode } from '../../../src/node/trustmesh-node.js';
import { offenceSpec, type PeerReport } from '../../../src/p2p/reputation/index.js';
import { line, TestNetwork, waitFor } from '../../helpers/index.js';

/** Dev accounts the attackers spend from in turn (0 and 1 are the victims'). */
const ATTACKER_ACCOUNTS = [2, 3, 4, 5, 6, 7, 8, 9];

export interface Stage {
  readonly net: TestNetwork;
  readonly victims: readonly TrustmeshNode[];
}

/** Starts the two honest victims. */
export async function startStage(): Promise<Stage> {
  const net = await TestNetwork.start({ count: 2, edges: line(2), nodeOptions: (i) => ({ name: `h${i}` }) });
  return { net, victims: [net.node(0), net.node(1)] };
}

export interface Attacker {
  readonly index: number;
  readonly node: TrustmeshNode;
  readonly peerId: string;
}

/**
 * Starts an attacker of `kind` (a catalogue kind, or any misbehaviour given as `custom`) dialing
 * every victim (not waiting for the connections).
 */
export async function addAttacker(stage: Stage, kind: string, custom?: Misbehaviour): Promise<Attacker> {
  const index = stage.net.size;
  const node = await stage.net.addNode({
    name: `attacker-${kind}`,
    ...(custom === undefined ? { misbehaviour: kind } : { hooks: attackHooks(custom) }),
    devAccount: ATTACKER_ACCOUNTS[index % ATTACKER_ACCOUNTS.length]!,
    connectTo: stage.victims.map((_, i) => i),
    waitForConnections: false,
  });
  return { index, node, peerId: node.peerIdString };
}

/** Per victim: its report on the attacker, ms from the first offence to the ban. */
export interface Verdict {
  readonly victim: string;
  readonly report: PeerReport;
  readonly msToQuarantine: number;
}

/**
 * Waits until every victim quarantined the attacker (with `any`, one victim: an identity that
 * dialed only one of them); returns each verdict.
 */
export async function waitForQuarantine(
  stage: Stage,
  peerId: string,
  timeoutMs: number,
  any = false,
): Promise<Verdict[]> {
  const judged = () => stage.victims.filter((v) => v.reputation.isQuarantined(peerId));
  await waitFor(
    () => (any ? judged().length > 0 : judged().length === stage.victims.length),
    timeoutMs,
    `${any ? 'a victim' : 'every victim'} to quarantine ${peerId}`,
  );
  return judged().map((victim) => {
    const report = victim.reputation.report(peerId);
    const first = report.offences[0]!;
    return { victim: victim.config.name, report, msToQuarantine: report.ban!.bannedAt - first.at };
  });
}

/** The offence that started the quarantine (the first flagrant one, or the last before the ban). */
export function decisiveOffence(report: PeerReport): string {
  const flagrant = report.offences.find((o) => offenceSpec(o.kind).class === 'flagrant');
  return (flagrant ?? report.offences.at(-1)!).kind;
}

/** Stops the attacker node (its identity is not reused). */
export async function removeAttacker(stage: Stage, attacker: Attacker): Promise<void> {
  await stage.net.stopNode(attacker.index);
}

/** The victims still hold nothing against each other. */
export function victimsTrustEachOther(stage: Stage): boolean {
  const [a, b] = stage.victims as [TrustmeshNode, TrustmeshNode];
  return (
    a.reputation.report(b.peerIdString).offences.length === 0 &&
    b.reputation.report(a.peerIdString).offences.length === 0
  );
}
