/**
 * The trust map in a real browser (Debian's Chromium via playwright-core) against a real 5-node
 * devnet: the page shows the 5 nodes and their links; an `invalid-signature` attacker injected
 * from the page is shown quarantined by every node it reached, within 5 s of it running; the
 * `why` panel shows the offence with its evidence; a stopped node shows down and a restarted one
 * back up, while the page stays live. Every request the page makes goes to its own server, and
 * the page logs no error. With TRUST_MAP_SCREENSHOT=<file> the map during the attack is saved
 * there (docs/trust-map.png was made so).
 *
 * The steps share one devnet and run in order.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcClient } from '../helpers.js';
import { chromiumAvailable, startWebDevnet, type WebDevnet } from './harness.js';

/** Devnet start plus the first page load, on two busy cores (unit: ms). */
const START_MS = 150_000;
/** Waits for the network or the page to show something (unit: ms). */
const SHOW_MS = 60_000;
/** An attacker node process starting (two tsx processes on two busy cores) (unit: ms). */
const ATTACKER_START_MS = 120_000;
/** From a node's quarantine of the attacker until the page shows it (unit: ms). */
const QUARANTINE_SHOWN_MS = 5_000;
/** Time (ms) given to the attacker's other neighbours to judge it: three of its 2 s rounds. */
const JUDGE_ROUNDS_MS = 6_000;

type GraphSummary = {
  vertices: Array<{ id: string; label: string; classes: string[]; at: { x: number; y: number } }>;
  edges: Array<{ id: string; source: string; target: string; classes: string[]; shownAt: number }>;
};

const graph = (page: Page): Promise<GraphSummary> => page.evaluate(() => window.trustMap.graph());

/** Polls the page's graph until `check` returns a value. */
async function waitForGraph<T>(
  page: Page,
  what: string,
  check: (g: GraphSummary) => T | undefined,
  timeoutMs = SHOW_MS,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: GraphSummary | undefined;
  while (Date.now() < deadline) {
    last = await graph(page);
    const value = check(last);
    if (value !== undefined) return value;
    await page.waitForTimeout(100);
  }
  throw new Error(`the page did not show ${what} within ${timeoutMs} ms; it shows ${JSON.stringify(last)}`);
}

/** Clicks a vertex of the map where the page draws it. */
async function clickVertex(page: Page, id: string): Promise<void> {
  const vertex = (await graph(page)).vertices.find((v) => v.id === id);
  const box = await page.locator('#graph').boundingBox();
  if (vertex === undefined || box === null) throw new Error(`no vertex ${id} on the map`);
  await page.mouse.click(box.x + vertex.at.x, box.y + vertex.at.y);
}

// Chromium is installed by .ci/run; a developer machine without it skips (CI never does).
const run = chromiumAvailable() || process.env.CI !== undefined;

describe.runIf(run).sequential('trust map in a browser', () => {
  let web: WebDevnet;
  let page: Page;
  let origin: string;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];
  let attackerId: string;
  /** The nodes that judged and quarantined the attacker. */
  let judges: string[] = [];

  beforeAll(async () => {
    web = await startWebDevnet();
    origin = new URL(web.map.url).origin;
    page = await web.browser.newPage();
    page.on('request', (req) => {
      if (!req.url().startsWith(`${origin}/`)) foreignRequests.push(req.url());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    await page.goto(web.map.url);
  }, START_MS);

  afterAll(async () => {
    await web?.close();
  }, 60_000);

  it(
    'shows the 5 nodes and their links',
    async () => {
      // The links the nodes themselves report (membership may add some to nodes/devnet.json's
      // ring alice-bob-dave-erin-carol-alice and chord bob-carol): the page must show exactly those.
      const reported = async (): Promise<string[]> => {
        const nodes = web.net.devnet.nodes;
        const ids = new Map<string, string>();
        const peers = await Promise.all(
          nodes.map(async (def) => {
            ids.set((await rpcClient(def).call('status')).peerId, def.name);
            return (await rpcClient(def).call('peers')).map((p) => p.peerId);
          }),
        );
        const pairs = nodes.flatMap((def, i) =>
          peers[i]!.filter((id) => ids.has(id)).map((id) => [def.name, ids.get(id)!].sort().join('-')),
        );
        return [...new Set(pairs)].sort();
      };
      const deadline = Date.now() + SHOW_MS;
      let shown: { names: string[]; pairs: string[] } | undefined;
      let truth: string[] = [];
      while (Date.now() < deadline) {
        const g = await graph(page);
        truth = await reported();
        const names = g.vertices
          .filter((v) => v.classes.includes('honest') && !v.classes.includes('down'))
          .map((v) => v.label)
          .sort();
        const pairs = g.edges
          .filter((e) => !e.classes.includes('cut') && e.source.startsWith('n:') && e.target.startsWith('n:'))
          .map((e) =>
            [e.source, e.target]
              .map((id) => id.slice(2))
              .sort()
              .join('-'),
          )
          .sort();
        shown = { names, pairs };
        if (names.length === 5 && truth.length >= 4 && pairs.join() === truth.join()) break;
        await page.waitForTimeout(200);
      }
      expect(shown?.names).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
      expect(shown?.pairs).toEqual(truth);
      // At least a connected graph of the five.
      expect(truth.length).toBeGreaterThanOrEqual(4);
      await expect.poll(() => page.textContent('#summary'), { timeout: 10_000 }).toContain('5/5 nodes up');
      await expect.poll(() => page.textContent('#connection')).toBe('live');
    },
    SHOW_MS + 10_000,
  );

  it(
    'shows an invalid-signature attacker injected from the page quarantined by every node that judged it, within 5 s',
    async () => {
      await page.selectOption('#attack-kind', 'invalid-signature');
      const answer = page.waitForResponse((res) => res.url().endsWith('/api/attackers'));
      await page.click('#inject');
      expect((await answer).status()).toBe(202);
      // The attacker is a node process of its own: on two busy cores it takes a while to start.
      const running = page.locator('.attackers li[data-kind="invalid-signature"].attacker-running');
      await running.waitFor({ timeout: ATTACKER_START_MS });
      attackerId = (await running.getAttribute('data-peer')) ?? '';
      expect(attackerId).toMatch(/^12D3KooW/);
      const vertex = `p:${attackerId}`;
      // It dials every running node. The nodes its announcements reach (its gossipsub mesh: at
      // most 5 peers, usually 3 or more) fetch, judge and quarantine it; a node it never sent
      // anything has no reason to. The page must show each quarantine (the node's cut link to it)
      // within 5 s of the node's verdict.
      await waitForGraph(
        page,
        'the attacker marked and cut off by a node',
        (g) => {
          const marked = g.vertices.find((v) => v.id === vertex)?.classes.includes('attacker');
          const cut = g.edges.some((e) => e.classes.includes('cut') && e.target === vertex);
          return marked === true && cut ? true : undefined;
        },
        SHOW_MS,
      );
      // Every node that judged it (an INVALID_SIGNATURE offence) quarantined it, and the page shows
      // that within 5 s; the attacker acts every 2 s, so wait a few rounds for its other neighbours.
      await page.waitForTimeout(JUDGE_ROUNDS_MS);
      judges = [];
      for (const def of web.net.devnet.nodes) {
        const report = await rpcClient(def)
          .call('why', [attackerId])
          .catch(() => undefined);
        const offences = report?.history.filter((o) => o.kind === 'INVALID_SIGNATURE') ?? [];
        if (report === undefined || offences.length === 0) continue;
        judges.push(def.name);
        expect(report.state, def.name).toBe('quarantined');
        // The flagrant offence quarantines at once (an earlier, graduated offence would not).
        const verdictAt = Math.min(...offences.map((o) => o.time));
        const shownAt = await waitForGraph(
          page,
          `${def.name}'s cut link to the attacker`,
          (g) =>
            g.edges.find(
              (e) => e.classes.includes('cut') && e.source === `n:${def.name}` && e.target === vertex,
            )?.shownAt,
          QUARANTINE_SHOWN_MS + 1_000,
        );
        expect(shownAt - verdictAt, `${def.name}: verdict to page`).toBeLessThanOrEqual(QUARANTINE_SHOWN_MS);
      }
      console.log(`[trust-map] attacker judged and quarantined by ${judges.join(', ')}`);
      expect(judges.length).toBeGreaterThan(0);
      await expect
        .poll(() => page.textContent('#feed'), { timeout: 10_000 })
        .toMatch(/quarantined attacker invalid-signature/);
    },
    ATTACKER_START_MS + SHOW_MS + 20_000,
  );

  it('shows the offence with its evidence in the why panel, from the map and from the peers table', async () => {
    // A click on the attacker on the map: the node that scores it lowest explains.
    await clickVertex(page, `p:${attackerId}`);
    await expect
      .poll(() => page.textContent('#why h2'), { timeout: 15_000 })
      .toMatch(/^Why: attacker invalid-signature as \w+ sees it$/);
    await expect.poll(() => page.textContent('#why'), { timeout: 15_000 }).toContain('TX_BAD_SIGNATURE');
    // A click on a node that judged it selects its peers table; a click on the attacker's row asks
    // that node.
    const judge = judges.at(-1)!;
    await clickVertex(page, `n:${judge}`);
    await expect.poll(() => page.textContent('#peers h2')).toBe(`Peers of ${judge}`);
    await page.click(`#peers tr[data-peer="${attackerId}"]`);
    await expect
      .poll(() => page.textContent('#why h2'))
      .toBe(`Why: attacker invalid-signature as ${judge} sees it`);
    await expect.poll(() => page.textContent('#why'), { timeout: 15_000 }).toContain('INVALID_SIGNATURE');
    const why = (await page.textContent('#why')) ?? '';
    expect(why).toMatch(/quarantined/);
    expect(why).toMatch(/TX_BAD_SIGNATURE/);
    expect(await page.locator('#why tr.offence').count()).toBeGreaterThan(0);
    await page.locator('#why .uplot').waitFor({ timeout: 10_000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    // The map during the attack: kept where TRUST_MAP_SCREENSHOT says, else only checked.
    const file = process.env.TRUST_MAP_SCREENSHOT;
    const png = await page.screenshot(file === undefined ? {} : { path: resolve(file) });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  }, 60_000);

  it(
    'shows a stopped node down and a restarted node back up',
    async () => {
      await web.stopNode('dave');
      await waitForGraph(page, 'dave down', (g) =>
        g.vertices.find((v) => v.id === 'n:dave')?.classes.includes('down') ? true : undefined,
      );
      await expect.poll(() => page.textContent('#tips tr[data-node="dave"] .node-state')).toBe('down');
      await expect.poll(() => page.textContent('#summary')).toContain('4/5 nodes up');
      await web.restartNode('dave');
      await waitForGraph(page, 'dave back up with links', (g) =>
        !g.vertices.find((v) => v.id === 'n:dave')?.classes.includes('down') &&
        g.edges.some((e) => !e.classes.includes('cut') && (e.source === 'n:dave' || e.target === 'n:dave'))
          ? true
          : undefined,
      );
      await expect.poll(() => page.textContent('#tips tr[data-node="dave"] .node-state')).toBe('up');
      expect(await page.textContent('#connection')).toBe('live');
    },
    SHOW_MS * 3,
  );

  it('fetched nothing from anywhere but its own server and logged no error', () => {
    expect(foreignRequests).toEqual([]);
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
});
