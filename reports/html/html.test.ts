import { describe, expect, it } from 'vitest';
import type { Event, MountId } from '../../model/index.js';
import { initialState, step } from '../../model/index.js';
import { DEFAULT_SEED } from '../../properties/index.js';
import { runCampaign } from '../../traces/index.js';
import { checkReport, mutantsReport } from '../build.js';
import { scriptJson } from './escape.js';
import { renderHtml } from './render.js';
import { stepViews } from './steps.js';
import { CODE, INIT, reportOf, SEMANTIC } from './test-helpers.js';
import type { TreeGroup } from './trees.js';
import { COLUMN, NODE_HEIGHT, treeGroups } from './trees.js';

const campaign = { seed: DEFAULT_SEED, runs: 200, timeLimitMs: null, maxCommands: 80, stats: false, saved: [] } as const;
const embedded = (html: string): { counterexamples: { groups: TreeGroup[]; call: string }[][] } => {
  const match = /<script type="application\/json" id="mntns-data">([^<]*)<\/script>/.exec(html);
  return JSON.parse(match?.[1] ?? 'null') as { counterexamples: { groups: TreeGroup[]; call: string }[][] };
};
const withoutTimingHost = (html: string): string => html.replace(/<section id="timing-host">.*?<\/section>/s, '');

describe('the HTML report', () => {
  it('is one self-contained page: inline style and script, nothing fetched', async () => {
    const html = renderHtml(checkReport(await runCampaign({ ...campaign, bug: 'mnt-ns-loop-off-by-one' }), campaign, null));
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).not.toMatch(/<link|<img|\ssrc=|https?:\/\/(?!www\.w3\.org\/2000\/svg)|@import|url\(/);
    expect(html).toContain(`content="default-src 'none';`);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).toContain('verdict: violated');
    expect(html).toContain('an invariant was violated: no-mnt-ns-loop, by a trace of 2 events');
    expect(html).toMatch(/\[pid 1\] mount\(&quot;\/proc\/self\/ns\/mnt&quot;, &quot;\/(mnt|tmp)\/f&quot;, NULL, MS_BIND\) = 0/);
  });

  it('is the same bytes for the same seed everywhere but in the timing-and-host section', async () => {
    const first = checkReport(await runCampaign({ ...campaign, bug: 'mnt-ns-loop-off-by-one' }), campaign, null);
    const second = checkReport(await runCampaign({ ...campaign, bug: 'mnt-ns-loop-off-by-one' }), campaign, null);
    const slower = { ...second, timing: { elapsedMs: first.timing.elapsedMs + 5000, msToFirstCounterexample: 1 }, host: { ...second.host, cpus: 64 } };
    expect(renderHtml(slower)).not.toBe(renderHtml(first));
    expect(withoutTimingHost(renderHtml(slower))).toBe(withoutTimingHost(renderHtml(first)));
    expect(withoutTimingHost(renderHtml(first))).not.toMatch(/elapsed|cpus/);
  });

  it('escapes every string from the run: paths in the trace, messages, settings, the embedded data', () => {
    const evil = '/mnt/<script>alert(1)</script>"\'&';
    const events: Event[] = [
      { type: 'mkdir', task: INIT, path: '/mnt/<script>alert(1)<' },
      { type: 'mkdir', task: INIT, path: evil },
      { type: 'mount', task: INIT, source: 'none', target: evil, fstype: 'tmpfs', flags: [] },
    ];
    const report = reportOf(events, [{ invariant: 'no-leak', objects: [{ kind: 'mount', id: 6 }], message: 'mount 6 <img src=x onerror=alert(2)>' }]);
    const hostile = { ...report, deterministic: { ...report.deterministic, settings: { origin: '</td><script>alert(3)</script>' } } };
    const html = renderHtml(hostile);
    expect(html).not.toMatch(/<script>alert|<img|<\/td><script/);
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).toContain('mkdir(&quot;/mnt/&lt;script&gt;alert(1)&lt;/script&gt;\\&quot;&#39;&amp;&quot;, 0755) = 0');
    expect(html).toContain('mount 6 &lt;img src=x onerror=alert(2)&gt;');
    // the data the script draws from still holds the path as it is, for textContent to show
    const steps = embedded(html).counterexamples[0] ?? [];
    expect(steps[3]?.groups[0]?.nodes.map((node) => node.target)).toContain(evil);
    expect(scriptJson('</script><!--\u2028')).toBe('"\\u003c/script\\u003e\\u003c!--\\u2028"');
  });

  it('renders semantic and code coverage where the run measured them, and says so where it did not', () => {
    const report = reportOf([{ type: 'mkdir', task: INIT, path: '/mnt/a' }], []);
    const without = renderHtml(report);
    expect(without.match(/not measured in this run/g)).toHaveLength(2);
    const html = renderHtml({ ...report, deterministic: { ...report.deterministic, semanticCoverage: SEMANTIC }, codeCoverage: CODE });
    expect(html).not.toContain('not measured in this run');
    expect(html).toContain('2 of 4 checks reached; 1 unreachable by design');
    expect(html).toContain('<td><code>do_loopback: mnt_ns_loop</code></td><td>7</td>');
    expect(html).toContain('<td><code>do_move_mount: mnt_ns_loop</code></td>');
    expect(html).toContain('the model never runs out of memory');
    expect(html).toContain('c8, of mntns check --seed 1 --runs 1: lines 90.0% (900/1000), branches 75.0% (45/60), functions 99.0% (99/100)');
    expect(html).toContain('<td><code>model/syscalls/mount.ts</code></td><td>90.0% (90/100)</td><td>75.0% (9/12)</td>');
  });

  it('has the seeded-bug table of a mutants run', () => {
    const row = { mustFire: 'no-leak', found: true, byDirectedTrace: false, runs: 3, ms: 1, shrunkLength: 1, minimalLength: 1 } as const;
    const html = renderHtml(
      mutantsReport(
        [
          { ...row, id: 'deactivate-super-keeps-superblock', fired: ['no-leak'], expectedFired: true },
          { ...row, id: 'umount-tree-keeps-mnt-ns', fired: ['refcounts-sound'], expectedFired: false },
        ],
        { seed: 1, runs: 10 },
      ),
    );
    expect(html).toMatch(/<td><code>deactivate-super-keeps-superblock<\/code><\/td><td>no-leak<\/td><td>no-leak<\/td><td><span class="verdict-held">caught as required/);
    expect(html).toMatch(/<td><code>umount-tree-keeps-mnt-ns<\/code><\/td><td>no-leak<\/td><td>refcounts-sound<\/td><td><span class="verdict-violated">caught by another invariant/);
    expect(html).not.toContain('id="counterexamples"');
  });
});

describe('the per-step data of a counterexample', () => {
  it('replays the events through the model: the mounts each step added, changed and freed, and the trees after it', () => {
    const events: Event[] = [
      { type: 'mount', task: INIT, source: 'none', target: '/mnt', fstype: 'tmpfs', flags: [] },
      { type: 'open', task: INIT, path: '/mnt', flags: ['O_PATH'] },
      { type: 'umount2', task: INIT, target: '/mnt', flags: ['MNT_DETACH'] },
      { type: 'close', task: INIT, fd: 3 as never },
    ];
    const report = reportOf(events, []);
    const views = stepViews(report.deterministic.counterexamples[0] ?? (null as never));
    expect(views).toHaveLength(5);
    const mounted = views[1]?.mounts.added[0] as number;
    expect(views[1]?.mounts).toEqual({ added: [mounted], changed: [2], removed: [] }); // the root gained a child
    expect(views[1]?.groups[0]?.nodes.find((node) => node.id === mounted)).toMatchObject({ target: '/mnt', fstype: 'tmpfs', change: 'added', count: 1 });
    expect(views[2]?.mounts).toEqual({ added: [], changed: [mounted], removed: [] }); // the O_PATH file's reference
    // umount -l: the mount leaves the namespace's tree and is drawn as unmounted but held
    expect(views[3]?.groups.find((group) => group.kind === 'held')?.nodes.map((node) => [node.id, node.change])).toEqual([[mounted, 'changed']]);
    // close: the last reference goes, the mount is freed and drawn in the freed group
    expect(views[4]?.mounts.removed).toEqual([mounted]);
    expect(views[4]?.groups.at(-1)).toMatchObject({ kind: 'freed', title: `freed by this step: mount ${mounted}` });
    expect(views[4]?.groups.some((group) => group.kind === 'held')).toBe(false);
  });

  it('marks the objects the violations name and lists their holders at every step', async () => {
    const report = checkReport(await runCampaign({ ...campaign, bug: 'mnt-ns-loop-off-by-one' }), campaign, null);
    const views = stepViews(report.deterministic.counterexamples[0] ?? (null as never));
    const last = views.at(-1);
    expect(last?.violations.map((violation) => violation.invariant)).toContain('no-mnt-ns-loop');
    const namespace = last?.groups.find((group) => group.kind === 'namespace' && group.ns === 1);
    expect(namespace?.violating).toBe(true);
    expect(namespace?.nodes.filter((node) => node.violating).map((node) => [node.target, node.change])).toEqual([[expect.stringMatching(/^\/(mnt|tmp)\/f$/), 'added']]);
    expect(views[0]?.holders).toContain('mount namespace 1 is held by: the nsproxy of task 1');
    expect(last?.holders.join('\n')).toMatch(/mount namespace 1 is held by: the nsproxy of task 1, its nsfs inode \(dentry \d+\) — taken at step 2/);
    expect(views[0]?.violations).toEqual([]);
  });

  it('says where a replayed result differs from the recorded one', () => {
    const report = reportOf([{ type: 'mkdir', task: INIT, path: '/mnt/a' }], []);
    const part = report.deterministic;
    const counterexample = part.counterexamples[0] ?? (null as never);
    const lying = { ...counterexample, steps: [{ ...counterexample.steps[0], result: { ok: false, errno: 'EEXIST', check: 'made up' } } as never] };
    expect(stepViews(lying)[1]).toMatchObject({ result: '= 0', recorded: '= -1 EEXIST (made up)' });
    expect(stepViews(counterexample)[1]?.recorded).toBeNull();
  });
});

describe('the tree layout', () => {
  it('puts a mount one column right of its parent, its parent level with the middle of its children, and no two mounts on one spot', () => {
    let state = initialState();
    for (const target of ['/mnt', '/tmp']) state = step(state, { type: 'mount', task: INIT, source: 'none', target, fstype: 'tmpfs', flags: [] }).state;
    const marks = { change: () => 'same' as const, violatingMounts: new Set<number>(), violatingNamespaces: new Set<number>() };
    const [group] = treeGroups(state, marks);
    const nodes = group?.nodes ?? [];
    const byId = new Map(nodes.map((node) => [node.id, node]));
    for (const node of nodes) {
      if (node.parent === null) continue;
      const parent = byId.get(node.parent);
      expect(node.x).toBe((parent?.x ?? Number.NaN) + COLUMN);
      const children = nodes.filter((candidate) => candidate.parent === node.parent).map((child) => child.y);
      expect(parent?.y).toBe((Math.min(...children) + Math.max(...children)) / 2);
    }
    expect(new Set(nodes.map((node) => `${node.x},${node.y}`)).size).toBe(nodes.length);
    expect(group?.height).toBe(Math.max(...nodes.map((node) => node.y)) + NODE_HEIGHT);
    expect(nodes.map((node) => node.target)).toEqual(['/', '/', '/proc', '/mnt', '/tmp']);
    expect(state.mounts[nodes[0]?.id as MountId]?.mnt_parent).toBeNull();
  });
});
