/**
 * What happens when the reputation layer quarantines a peer: one log line (who, why, until), the
 * quarantine metric, and a hang-up. From then on the connection gater refuses the peer until its
 * ban expires. The reputation layer exists before the libp2p node (the gater consults it), so the
 * hang-up is connected once the node is up; a quarantine before that has nothing to hang up.
 */
import type { QuarantineEvent } from '../p2p/reputation/index.js';
import type { Logger } from './logger.js';
import type { NodeMetrics } from './metrics.js';

export interface QuarantineEnforcer {
  readonly onQuarantine: (event: QuarantineEvent) => void;
  /** Connects the hang-up, once the libp2p node exists. */
  hangUpWith(hangUp: (peer: string) => Promise<void>): void;
}

export function quarantineEnforcer(metrics: NodeMetrics, logger: Logger): QuarantineEnforcer {
  let hangUp: (peer: string) => Promise<void> = async () => undefined;
  return {
    onQuarantine(event) {
      metrics.quarantines.inc();
      const until = new Date(event.until).toISOString();
      logger.warn(
        { peer: event.peerId, kind: event.kind, evidence: event.evidence, until, banCount: event.banCount },
        `quarantined ${event.peerId}: ${event.reason} until ${until}`,
      );
      hangUp(event.peerId).catch((err: Error) =>
        logger.debug({ peer: event.peerId, err: err.message }, 'hang-up failed'),
      );
    },
    hangUpWith(fn) {
      hangUp = fn;
    },
  };
}
