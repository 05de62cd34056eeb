import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { oracleUnavailable, runOnKernel } from './index.js';
import { event, namespacesInUse, waitFor } from './test-helpers.js';

const unavailable = oracleUnavailable();
const why = unavailable ?? '';
const mkdir = event({ type: 'mkdir', task: 1, path: '/mnt/a' });

describe.skipIf(unavailable !== null)(`the kernel harness${unavailable === null ? '' : ` (skipped: ${why})`}`, () => {
  it('refuses to run when unshare(CLONE_NEWNS) leaves it in the namespace it started in', async () => {
    const before = readFileSync('/proc/self/mountinfo');
    const run = await runOnKernel([mkdir], { env: { MNTNS_ORACLE_INJECT: 'skip-unshare' } });
    expect(run.exitCode).toBe(2);
    expect(run.fatal).toMatch(/refusing to run: still in the mount namespace mnt:\[\d+\]/);
    expect(run.steps).toHaveLength(0);
    expect(readFileSync('/proc/self/mountinfo').equals(before)).toBe(true);
  });

  it('runs the trace in a private namespace: task 1 is pid 1 and sees only the sandbox', async () => {
    const run = await runOnKernel([mkdir, event({ type: 'clone', task: 1, flags: [] })]);
    expect(run.fatal).toBeNull();
    expect(run.steps.map((entry) => entry.result)).toEqual([
      { ok: true, value: 0, fds: [] },
      { ok: true, value: 2, fds: [] },
    ]);
    const host = readFileSync('/proc/self/mountinfo', 'utf8');
    const mountpoints = (run.steps[0]?.mountinfo[1] ?? []).map((line) => line.split(' ')[4]);
    expect(mountpoints).toEqual(['/', '/proc']);
    expect(host.split('\n').length).toBeGreaterThan(0);
    expect(Object.keys(run.steps[1]?.nsOf ?? {})).toEqual(['1', '2']);
  });

  it('gives the trace fds the lowest numbers from 3, its own control channels sit far above', async () => {
    const run = await runOnKernel([event({ type: 'open', task: 1, path: '/mnt', flags: ['O_PATH'] }), event({ type: 'socketpair', task: 1 })]);
    expect(run.steps.map((entry) => entry.result)).toEqual([
      { ok: true, value: 3, fds: [] },
      { ok: true, value: 0, fds: [4, 5] },
    ]);
  });

  it('kills every process of the trace when a step does not answer in time', async () => {
    const before = namespacesInUse();
    const run = await runOnKernel([mkdir, mkdir, mkdir], { stepTimeoutMs: 300, env: { MNTNS_ORACLE_INJECT: 'hang-second-step' } });
    expect(run.fatal).toMatch(/step timed out/);
    expect(run.exitCode).toBe(3);
    expect(run.steps).toHaveLength(1);
    await waitFor(() => [...namespacesInUse()].every((ns) => before.has(ns)));
    expect([...namespacesInUse()].filter((ns) => !before.has(ns))).toEqual([]);
  });
});
