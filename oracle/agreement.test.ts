import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/index.js';
import { initialState, step } from '../model/index.js';
import { loadTrace } from '../traces/index.js';
import { compareWithKernel, differences, observeKernel, observeModel, oracleUnavailable, runOnKernel } from './index.js';
import { asEvents, event, namespacesInUse, waitFor } from './test-helpers.js';

const unavailable = oracleUnavailable();
const TRACES = join(import.meta.dirname, 'traces');
const traceFiles = readdirSync(TRACES).filter((name) => name.endsWith('.trace')).sort();
const eventsOf = (name: string): readonly Event[] => loadTrace(join(TRACES, name)).steps.map((recorded) => recorded.event);

describe.skipIf(unavailable !== null)(`model and kernel${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, () => {
  it.each(traceFiles)('agree on every step of %s', async (name) => {
    const comparison = await compareWithKernel(eventsOf(name));
    const differing = comparison.steps.filter((entry) => entry.differences.length > 0).map((entry) => ({ step: entry.index, differences: entry.differences }));
    expect(comparison.fatal).toBeNull();
    expect(differing).toEqual([]);
    expect(comparison.agree).toBe(true);
  });

  it('disagree when the model is broken: mnt-ns-loop-off-by-one lets a namespace bind its own nsfs file', async () => {
    const events = asEvents([
      { type: 'mknod', task: 1, path: '/tmp/f' },
      { type: 'mount', task: 1, source: '/proc/self/ns/mnt', target: '/tmp/f', fstype: null, flags: ['MS_BIND'] },
    ]);
    const comparison = await compareWithKernel(events, { bug: 'mnt-ns-loop-off-by-one' });
    expect(comparison.agree).toBe(false);
    expect(comparison.steps[1]?.differences).toEqual(['result: model 0, kernel -1 EINVAL']);
  });

  it('see a mount-table difference that the results alone do not show', async () => {
    // The model makes a directory where the kernel mounts a tmpfs: both return 0, the tables differ.
    const modelSide = step(initialState(), event({ type: 'mkdir', task: 1, path: '/mnt/a' }), {});
    const kernelSide = await runOnKernel([event({ type: 'mount', task: 1, source: 'tmpfs', target: '/mnt', fstype: 'tmpfs', flags: [] })]);
    const kernelStep = kernelSide.steps[0];
    if (kernelStep === undefined) throw new Error(`no kernel step: ${String(kernelSide.fatal)}`);
    expect(differences(observeModel(modelSide.state, modelSide.result), observeKernel(kernelStep))).toEqual([
      '- model    1 0 /proc proc / rw sb:rw',
      '+ kernel   1 0 /mnt tmpfs / rw sb:rw',
      '+ kernel   2 0 /proc proc / rw sb:rw',
    ]);
  });

  it('report a deliberate deviation on the step it explains: the exit of task 1 ends the pid namespace', async () => {
    const comparison = await compareWithKernel(
      asEvents([
        { type: 'clone', task: 1, flags: [] },
        { type: 'exit', task: 1 },
        { type: 'mkdir', task: 2, path: '/mnt/x' },
      ]),
    );
    expect(comparison.steps.map((entry) => entry.deviations.map((deviation) => deviation.name))).toEqual([[], ['pid-namespace-init-exit'], ['pid-namespace-init-exit']]);
    expect(comparison.steps[2]?.differences).toEqual(['result: model 0, kernel -1 ESRCH']);
    expect(comparison.agree).toBe(true);
  });

  it('report the collection of in-flight sockets the kernel runs later as a deliberate deviation, on that step alone', async () => {
    const comparison = await compareWithKernel(
      asEvents([
        { type: 'socketpair', task: 1 },
        { type: 'sendmsg', task: 1, fd: 3, fds: [4, 4] },
        { type: 'close', task: 1, fd: 4 },
        { type: 'clone', task: 1, flags: [] },
        { type: 'recvmsg', task: 2, fd: 3 },
      ]),
    );
    expect(comparison.steps.map((entry) => entry.differences.length > 0)).toEqual([false, false, false, false, true]);
    expect(comparison.steps[4]?.deviations.map((deviation) => deviation.name)).toEqual(['unix-gc-runs-at-once']);
    expect(comparison.agree).toBe(true);
  });

  it('report the /proc/<pid> entries the model leaves out and the harness\'s standard fds as deliberate deviations', async () => {
    const comparison = await compareWithKernel(
      asEvents([
        { type: 'mkdir', task: 1, path: '/proc/1/status' },
        { type: 'mkdir', task: 1, path: '/proc/1/ns/user' },
        { type: 'unlink', task: 1, path: '/proc/self/fd/0/' },
      ]),
    );
    expect(comparison.steps.map((entry) => entry.differences.length > 0)).toEqual([true, true, true]);
    expect(comparison.steps.map((entry) => entry.deviations.map((deviation) => deviation.name))).toEqual([
      ['proc-pid-entries-not-modelled'],
      ['proc-pid-entries-not-modelled'],
      ['harness-standard-fds'],
    ]);
    expect(comparison.agree).toBe(true);
  });

  it('report the /proc directories and links the model keeps no dentry for, and the machine\'s rootfs below the sandbox, as deliberate deviations', async () => {
    const proc = await compareWithKernel(asEvents([{ type: 'chdir', task: 1, path: '/proc/self' }]));
    expect(proc.steps[0]?.differences).toEqual(['result: model -1 ENOENT, kernel 0']);
    expect(proc.steps[0]?.deviations.map((deviation) => deviation.name)).toEqual(['procfs-dentries-not-modelled']);
    const rootfs = await compareWithKernel(
      asEvents([
        { type: 'open', task: 1, path: '/proc/self/ns/mnt', flags: [] },
        { type: 'umount2', task: 1, target: '/', flags: ['MNT_DETACH'] },
        { type: 'setns', task: 1, fd: 3, nstype: 'CLONE_NEWNS' },
      ]),
    );
    expect(rootfs.steps.map((entry) => entry.deviations.map((deviation) => deviation.name))).toEqual([[], [], ['machine-rootfs-below-the-sandbox']]);
    expect(rootfs.steps[2]?.differences.length).toBeGreaterThan(0);
    expect(proc.agree && rootfs.agree).toBe(true);
  });

  it('leave the machine mount table byte-identical over 100 runs, one of them killed half-way', async () => {
    const before = readFileSync('/proc/self/mountinfo');
    const namespacesBefore = namespacesInUse();
    const events = eventsOf('lazy-umount.trace');
    const killAt = 50;
    for (let run = 1; run <= 100; run++) {
      const half = Math.floor(events.length / 2);
      const result = await runOnKernel(
        events,
        run === killAt ? { feedOnly: half, onStep: (completed, pid) => (completed === half ? process.kill(pid, 'SIGKILL') : undefined) } : {},
      );
      if (run === killAt) {
        expect(result.signal).toBe('SIGKILL');
        expect(result.steps.length).toBeLessThan(events.length);
        await waitFor(() => [...namespacesInUse()].every((ns) => namespacesBefore.has(ns)));
        expect([...namespacesInUse()].filter((ns) => !namespacesBefore.has(ns))).toEqual([]);
      } else {
        expect(result.steps).toHaveLength(events.length);
      }
    }
    expect(readFileSync('/proc/self/mountinfo').equals(before)).toBe(true);
  });
});
