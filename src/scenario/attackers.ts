/**
 * The attackers of a scenario: M attacker nodes (`src/attacks/main.ts --kind <kind>`), each its own
 * process with its own data dir under the scenario's data root, dialing every honest node. Their
 * log records (NDJSON on stdout) are kept for what the kinds report about themselves (a double
 * spend's pair, a redial refused, a form sent), and their exits are counted.
 */
import { join } from 'node:path';
import type { LogRecord } from '../devnet/node-log.js';
import { NodeProcess } from '../devnet/node-process.js';
import type { HonestNode } from './honest-devnet.js';

/** The attacker's entry point (relative to the repository root). */
const ATTACKER_ENTRY = 'src/attacks/main.ts';
/** Dev accounts attackers spend from, in turn: the ones a 6-node honest devnet (1..6) leaves free. */
export const ATTACKER_ACCOUNTS = [9, 8, 7, 0] as const;
/** Log records kept per attacker (the oldest dropped first). */
const MAX_RECORDS = 5_000;

export interface RunningAttacker {
  readonly peerId: string;
  readonly process: NodeProcess;
  readonly records: LogRecord[];
}

export class Attackers {
  private readonly running: RunningAttacker[] = [];
  private readonly crashed: string[] = [];
  private stopping = false;

  /** Starts `count` attackers of `kind`; the n-th spends from `accounts[n]` (cycling). */
  static async start(
    kind: string,
    count: number,
    targets: readonly HonestNode[],
    dataRoot: string,
    network: string,
    accounts: readonly number[],
  ): Promise<Attackers> {
    const attackers = new Attackers();
    await Promise.all(
      Array.from({ length: count }, async (_, n) => {
        const process = new NodeProcess({
          label: `attacker ${kind} ${n}`,
          entry: ATTACKER_ENTRY,
          args: [
            '--kind',
            kind,
            '--data-dir',
            join(dataRoot, `attacker-${kind}-${n}`),
            '--network',
            network,
            '--port',
            '0',
            '--rpc-port',
            '-1',
            '--dev-account',
            String(accounts[n % accounts.length]),
            '--log-stdout',
            '--peer',
            ...targets.map((t) => t.address),
          ],
        });
        const records: LogRecord[] = [];
        process.onLine((line) => {
          if (line.kind !== 'log') return;
          records.push(line.record);
          if (records.length > MAX_RECORDS) records.shift();
        });
        process.onExit((description) => {
          if (!attackers.stopping) attackers.crashed.push(`${process.label} ${description}`);
        });
        const started = await process.start();
        attackers.running.push({ peerId: started.peerId, process, records });
      }),
    );
    return attackers;
  }

  get list(): readonly RunningAttacker[] {
    return this.running;
  }

  /** Attackers that exited before they were stopped. */
  get crashes(): readonly string[] {
    return this.crashed;
  }

  /** Every record any attacker logged, in arrival order per attacker. */
  records(): LogRecord[] {
    return this.running.flatMap((a) => a.records);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running.map((a) => a.process.stop()));
  }
}
