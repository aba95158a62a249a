/**
 * Kubernetes manifests of a planned network (plan.ts), as plain objects (the exporter writes them as
 * multi-document YAML). Per node:
 * - a Secret `<name>-key` holding its derived libp2p key (`p2p-key`);
 * - a Service `<name>` (stable DNS name; P2P port, and the metrics port annotated for Prometheus);
 * - a StatefulSet `<name>` of one pod: an init container copies the key into the data volume
 *   (where the node loads it), then the node runs as a non-root user with its data dir on a
 *   PersistentVolumeClaim;
 * and one Job `scenario` that watches every node's /metrics for a while and exits 0 (pass) or 1
 * (fail), its log ending with the scenario's JSON.
 */
import {
  DATA_DIR,
  NODE_CONTAINER_ENV,
  METRICS_PORT,
  type NetworkPlan,
  NODE_PRELOADS,
  nodeCommand,
  P2P_PORT,
  type PlannedNode,
} from './plan.js';

/** The node image's user (the `node` user of the official Node.js images). */
const NODE_UID = 1000;
/** Size of each node's data volume. */
const DATA_VOLUME_SIZE = '1Gi';
/** Label every object carries (selectors use it with the node's name). */
const APP_LABEL = 'trustmesh';

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
};

const prometheusAnnotations = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': String(METRICS_PORT),
  'prometheus.io/path': '/metrics',
};

function labels(node: string, role: string): Record<string, string> {
  return { app: APP_LABEL, 'trustmesh/node': node, 'trustmesh/role': role };
}

const securityContext = {
  runAsNonRoot: true,
  runAsUser: NODE_UID,
  runAsGroup: NODE_UID,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

function nodeObjects(plan: NetworkPlan, node: PlannedNode): K8sObject[] {
  const role = node.attackKind === null ? (node.miner ? 'miner' : 'relay') : `attacker-${node.attackKind}`;
  const podLabels = labels(node.name, role);
  const selector = { app: APP_LABEL, 'trustmesh/node': node.name };
  const secret: K8sObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `${node.name}-key`, labels: podLabels },
    type: 'Opaque',
    data: { 'p2p-key': node.keyBase64 },
  };
  const service: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: node.name, labels: podLabels, annotations: prometheusAnnotations },
    spec: {
      selector,
      ports: [
        { name: 'p2p', port: P2P_PORT, targetPort: 'p2p', protocol: 'TCP' },
        { name: 'metrics', port: METRICS_PORT, targetPort: 'metrics', protocol: 'TCP' },
      ],
    },
  };
  const statefulSet: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: node.name, labels: podLabels },
    spec: {
      serviceName: node.name,
      replicas: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: podLabels, annotations: prometheusAnnotations },
        spec: {
          securityContext: { fsGroup: NODE_UID },
          initContainers: [
            {
              name: 'install-key',
              image: plan.options.image,
              command: ['sh', '-c', `cp /key/p2p-key ${DATA_DIR}/p2p-key && chmod 600 ${DATA_DIR}/p2p-key`],
              securityContext,
              volumeMounts: [
                { name: 'key', mountPath: '/key', readOnly: true },
                { name: 'data', mountPath: DATA_DIR },
              ],
            },
          ],
          containers: [
            {
              name: 'node',
              image: plan.options.image,
              command: ['node', ...NODE_PRELOADS],
              args: nodeCommand(node, plan.options.network),
              env: Object.entries(NODE_CONTAINER_ENV).map(([name, value]) => ({ name, value })),
              ports: [
                { name: 'p2p', containerPort: P2P_PORT, protocol: 'TCP' },
                { name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' },
              ],
              readinessProbe: { tcpSocket: { port: 'p2p' }, periodSeconds: 5 },
              securityContext,
              volumeMounts: [{ name: 'data', mountPath: DATA_DIR }],
            },
          ],
          volumes: [{ name: 'key', secret: { secretName: `${node.name}-key`, defaultMode: 0o400 } }],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: DATA_VOLUME_SIZE } } },
        },
      ],
    },
  };
  return [secret, service, statefulSet];
}

/** The scenario's command line (after `node --import tsx`). */
export function scenarioArgs(plan: NetworkPlan): string[] {
  const honest = plan.nodes.filter((n) => n.attackKind === null).map((n) => `${n.name}:${METRICS_PORT}`);
  const attackers = plan.nodes.length - honest.length;
  return [
    'src/export/scenario.ts',
    '--targets',
    honest.join(','),
    '--attackers',
    String(attackers),
    '--duration',
    String(plan.options.scenarioS),
  ];
}

function scenarioJob(plan: NetworkPlan): K8sObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'scenario', labels: { app: APP_LABEL, 'trustmesh/role': 'scenario' } },
    spec: {
      backoffLimit: 0,
      template: {
        metadata: { labels: { app: APP_LABEL, 'trustmesh/role': 'scenario' } },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'scenario',
              image: plan.options.image,
              command: ['node', '--import', 'tsx'],
              args: scenarioArgs(plan),
              securityContext,
            },
          ],
        },
      },
    },
  };
}

/** Every object of the network, in apply order (Secrets, then Services and StatefulSets, then the Job). */
export function renderK8s(plan: NetworkPlan): K8sObject[] {
  const perNode = plan.nodes.map((node) => nodeObjects(plan, node));
  return [
    ...perNode.map((objects) => objects[0]!),
    ...perNode.flatMap((objects) => objects.slice(1)),
    scenarioJob(plan),
  ];
}
