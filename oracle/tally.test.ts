import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../model/index.js';
import type { StepComparison } from './compare.js';
import { disagreementKind, tallyCounter } from './tally.js';
import { asEvents, modelAsKernel } from './test-helpers.js';

const mkdirTwiceThenMknod = asEvents([
  { type: 'mkdir', task: 1, path: '/mnt/a' },
  { type: 'mkdir', task: 1, path: '/mnt/a' },
  { type: 'mknod', task: 1, path: '/mnt/f' },
  { type: 'unlink', task: 1, path: '/mnt/nothing' },
]);
const rofsMknod = modelAsKernel((event) => (event.type === 'mknod' ? '-1 EROFS' : null));

describe('the tally of a differential campaign', () => {
  it('counts each syscall by the outcome the kernel gave, and stops counting a run at its first unexplained difference', async () => {
    const counter = tallyCounter();
    counter.add(1, await rofsMknod(mkdirTwiceThenMknod));
    const tally = counter.read();
    expect(tally.runs).toBe(1);
    expect(tally.events).toBe(4);
    expect(tally.syscalls.map((syscall) => syscall.syscall)).toEqual(EVENT_TYPES);
    expect(tally.syscalls.find((syscall) => syscall.syscall === 'mkdir')).toEqual({
      syscall: 'mkdir',
      steps: 2,
      outcomes: [
        { outcome: 'success', steps: 1, agreed: 1, deviated: 0, differed: 0 },
        { outcome: 'EEXIST', steps: 1, agreed: 1, deviated: 0, differed: 0 },
      ],
    });
    expect(tally.syscalls.find((syscall) => syscall.syscall === 'mknod')?.outcomes).toEqual([{ outcome: 'EROFS', steps: 1, agreed: 0, deviated: 0, differed: 1 }]);
    // unlink came after the disagreement: not compared, so never run as far as the tally goes
    expect(tally.stepsAfterDisagreement).toBe(1);
    expect(tally.neverRun).toContain('unlink');
    expect(tally.neverRun).not.toContain('mkdir');
    expect(tally.neverRun).toHaveLength(EVENT_TYPES.length - 2);
    expect([tally.stepsCompared, tally.stepsAgreed, tally.stepsDeviated, tally.stepsDiffered]).toEqual([3, 2, 0, 1]);
    expect(tally.kinds).toEqual([{ kind: 'mknod: result model ok, kernel EROFS', syscall: 'mknod', runs: 1, firstRun: 1 }]);
  });

  it('counts every run that meets a kind, not only the first', async () => {
    const counter = tallyCounter();
    const comparison = await rofsMknod(mkdirTwiceThenMknod);
    counter.add(2, comparison);
    counter.add(3, await rofsMknod(mkdirTwiceThenMknod.slice(0, 2)));
    counter.add(5, comparison);
    const tally = counter.read();
    expect(tally.runsDisagreeing).toBe(2);
    expect(tally.kinds).toEqual([{ kind: 'mknod: result model ok, kernel EROFS', syscall: 'mknod', runs: 2, firstRun: 2 }]);
  });

  it('counts the steps a deliberate deviation explains on their own, per deviation, and not as disagreements', async () => {
    // the exit of task 1 kills the sandbox's pid namespace: task 2's mkdir gets ESRCH on the kernel
    const events = asEvents([
      { type: 'clone', task: 1, flags: [] },
      { type: 'exit', task: 1 },
      { type: 'mkdir', task: 2, path: '/mnt/x' },
    ]);
    const counter = tallyCounter();
    counter.add(1, await modelAsKernel((event) => (event.task === 2 ? '-1 ESRCH' : null))(events));
    const tally = counter.read();
    expect(tally.deviations.find((deviation) => deviation.name === 'pid-namespace-init-exit')).toMatchObject({ steps: 1, runs: 1 });
    expect(tally.deviations.find((deviation) => deviation.name === 'user-namespace-map-on-read-only-proc')).toMatchObject({ steps: 0, runs: 0 });
    expect(tally.syscalls.find((syscall) => syscall.syscall === 'mkdir')?.outcomes).toEqual([{ outcome: 'ESRCH', steps: 1, agreed: 0, deviated: 1, differed: 0 }]);
    expect([tally.stepsDeviated, tally.runsDisagreeing, tally.kinds.length]).toEqual([1, 0, 0]);
  });

  it('counts a run whose harness stopped early, its missing steps as "not run"', async () => {
    const counter = tallyCounter();
    counter.add(1, await modelAsKernel(undefined, 2)(mkdirTwiceThenMknod));
    const tally = counter.read();
    expect(tally.runsHarnessStopped).toBe(1);
    expect(tally.syscalls.find((syscall) => syscall.syscall === 'mkdir')?.outcomes).toEqual([
      { outcome: 'success', steps: 1, agreed: 1, deviated: 0, differed: 0 },
      { outcome: 'not run', steps: 1, agreed: 0, deviated: 0, differed: 1 },
    ]);
    expect(tally.kinds.map((kind) => kind.kind)).toEqual(['mkdir: harness stopped']);
  });
});

describe('the kind of a disagreement', () => {
  const base = async (): Promise<StepComparison> => {
    const entry = (await modelAsKernel()(mkdirTwiceThenMknod.slice(0, 1))).steps[0];
    if (entry === undefined) throw new Error('no step');
    return entry;
  };
  it('names the syscall and, for a result, both outcomes with any success as ok', async () => {
    const entry = await base();
    expect(disagreementKind({ ...entry, differences: ['result: model 0, kernel -1 EPERM'], kernel: { ...entry.model, result: '-1 EPERM' } })).toBe('mkdir: result model ok, kernel EPERM');
  });
  it('tells a namespace difference from a mount-table difference', async () => {
    const entry = await base();
    expect(disagreementKind({ ...entry, differences: ['- model  pid 2 ns#1', '+ kernel pid 2 ns#2'] })).toBe('mkdir: namespaces');
    expect(disagreementKind({ ...entry, differences: ['+ kernel   1 0 /mnt tmpfs / rw sb:rw'] })).toBe('mkdir: mount table');
  });
});
