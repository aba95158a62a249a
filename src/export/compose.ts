/**
 * A compose file of a planned network (plan.ts), for a laptop with a container engine
 * (`docker compose up --exit-code-from scenario`). Each node is a service named like its Kubernetes
 * Service (`node-<i>`), so the same `/dns4/<name>/...` bootstrap addresses resolve on the compose
 * network; its key file is mounted read-only from `keys/<name>/p2p-key` (written by the exporter)
 * and copied into the data volume before the node starts. The `scenario` service is the Job.
 */
import { scenarioArgs } from './k8s.js';
import {
  DATA_DIR,
  NODE_CONTAINER_ENV,
  METRICS_PORT,
  type NetworkPlan,
  NODE_PRELOADS,
  nodeCommand,
} from './plan.js';

/** The key directory of a node, relative to the compose file. */
export const keyDir = (name: string): string => `keys/${name}`;

export function renderCompose(plan: NetworkPlan): Record<string, unknown> {
  const services: Record<string, unknown> = {};
  const volumes: Record<string, unknown> = {};
  for (const node of plan.nodes) {
    volumes[`${node.name}-data`] = {};
    services[node.name] = {
      image: plan.options.image,
      hostname: node.name,
      entrypoint: [
        'sh',
        '-c',
        `cp /key/p2p-key ${DATA_DIR}/p2p-key && chmod 600 ${DATA_DIR}/p2p-key && exec node ${NODE_PRELOADS.join(' ')} "$$@"`,
        '--',
      ],
      command: nodeCommand(node, plan.options.network),
      environment: NODE_CONTAINER_ENV,
      volumes: [`${node.name}-data:${DATA_DIR}`, `./${keyDir(node.name)}:/key:ro`],
      labels: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT) },
    };
  }
  services.scenario = {
    image: plan.options.image,
    entrypoint: ['node', '--import', 'tsx'],
    command: scenarioArgs(plan),
    depends_on: plan.nodes.map((node) => node.name),
  };
  return { name: 'trustmesh', services, volumes };
}
