/**
 * The Kubernetes export, validated offline: every rendered object against the Kubernetes API
 * schemas (kubernetes-models), every bootstrap address against the Services of the same export,
 * every peer id against the key in the node's Secret, and the YAML written to disk round-trips.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyFromProtobuf } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { Job } from 'kubernetes-models/batch/v1';
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Secret, Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { type K8sObject, renderK8s } from '../../../src/export/k8s.js';
import { METRICS_PORT, P2P_PORT, planNetwork } from '../../../src/export/plan.js';
import { DEFAULT_EXPORT, writeExport } from '../../../src/export/write.js';
import { NODE_ENV_TUNING, NODE_V8_FLAGS } from '../../../src/devnet/process-tuning.js';

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
};

const OPTIONS = { ...DEFAULT_EXPORT, nodes: 6, attackers: [{ kind: 'invalid-signature', count: 1 }] };

function containerArgs(set: K8sObject): string[] {
  const spec = set.spec as { template: { spec: { containers: Array<{ args: string[] }> } } };
  return spec.template.spec.containers[0]!.args;
}

describe('Kubernetes export', () => {
  it('renders objects that validate against the Kubernetes schemas', async () => {
    const objects = renderK8s(await planNetwork(OPTIONS));
    expect(objects.length).toBe(7 * 3 + 1);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.apiVersion}/${object.kind}`).toBeDefined();
      expect(
        () => new Model!(object as never).validate(),
        `${object.kind} ${object.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('rejects an object the schemas forbid (the validation is real)', () => {
    const broken = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ port: 'seven' }] },
    };
    expect(() => new Service(broken as never).validate()).toThrow();
  });

  it('gives every node a Service and a StatefulSet, and bootstraps only from Services of the export', async () => {
    const plan = await planNetwork(OPTIONS);
    const objects = renderK8s(plan);
    const services = new Map(objects.filter((o) => o.kind === 'Service').map((o) => [o.metadata.name, o]));
    const sets = objects.filter((o) => o.kind === 'StatefulSet');
    expect(sets.map((s) => s.metadata.name).sort()).toEqual([...services.keys()].sort());
    const peerIdOf = new Map(plan.nodes.map((n) => [n.name, n.peerId]));
    let bootstraps = 0;
    for (const set of sets) {
      const args = containerArgs(set);
      args.forEach((arg, i) => {
        if (args[i - 1] !== '--peer') return;
        const match = /^\/dns4\/([a-z0-9-]+)\/tcp\/(\d+)\/p2p\/(\w+)$/.exec(arg);
        expect(match, arg).not.toBeNull();
        const [, name, port, peerId] = match!;
        expect(services.has(name!), `${arg} names a Service of this export`).toBe(true);
        expect(Number(port)).toBe(P2P_PORT);
        expect(peerId).toBe(peerIdOf.get(name!));
        bootstraps++;
      });
    }
    expect(bootstraps).toBeGreaterThanOrEqual(plan.nodes.length);
  });

  it("puts each node's derived key in its Secret, matching its peer id", async () => {
    const plan = await planNetwork(OPTIONS);
    const secrets = renderK8s(plan).filter((o) => o.kind === 'Secret');
    for (const node of plan.nodes) {
      const secret = secrets.find((s) => s.metadata.name === `${node.name}-key`)!;
      const bytes = Buffer.from((secret.data as Record<string, string>)['p2p-key']!, 'base64');
      expect(peerIdFromPrivateKey(privateKeyFromProtobuf(bytes)).toString()).toBe(node.peerId);
    }
    const again = await planNetwork(OPTIONS);
    expect(again.nodes.map((n) => n.peerId)).toEqual(plan.nodes.map((n) => n.peerId));
    const other = await planNetwork({ ...OPTIONS, seed: 'another' });
    expect(other.nodes[0]!.peerId).not.toBe(plan.nodes[0]!.peerId);
  });

  it('annotates the metrics port for Prometheus and runs as non-root', async () => {
    for (const object of renderK8s(await planNetwork(OPTIONS))) {
      if (object.kind === 'Service') {
        const annotations = object.metadata.annotations!;
        expect(annotations['prometheus.io/scrape']).toBe('true');
        expect(annotations['prometheus.io/port']).toBe(String(METRICS_PORT));
      }
      if (object.kind === 'StatefulSet') {
        const pod = (
          object.spec as {
            template: { spec: { containers: Array<{ securityContext: { runAsNonRoot: boolean } }> } };
          }
        ).template.spec;
        expect(pod.containers[0]!.securityContext.runAsNonRoot).toBe(true);
      }
    }
  });

  it('starts node containers with the memory settings of the devnet processes', async () => {
    for (const set of renderK8s(await planNetwork(OPTIONS)).filter((o) => o.kind === 'StatefulSet')) {
      const container = (
        set.spec as {
          template: {
            spec: { containers: Array<{ command: string[]; env: Array<{ name: string; value: string }> }> };
          };
        }
      ).template.spec.containers[0]!;
      expect(container.command).toEqual(expect.arrayContaining([...NODE_V8_FLAGS]));
      const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
      expect(env).toMatchObject(NODE_ENV_TUNING);
    }
  });

  it('writes multi-document YAML that parses back to the same objects', async () => {
    const out = await mkdtemp(join(tmpdir(), 'trustmesh-export-'));
    try {
      const [path] = await writeExport('k8s', out, OPTIONS);
      const documents = parseAllDocuments(await readFile(path!, 'utf8')).map((d) => d.toJS() as K8sObject);
      expect(documents).toEqual(renderK8s(await planNetwork(OPTIONS)));
      const compose = await writeExport('compose', out, OPTIONS);
      expect(compose.length).toBe(1 + 7);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
