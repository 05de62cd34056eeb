// Counting outcomes: one count per event run, keyed by syscall, errno and check, sorted with
// success first, and summed across lists (the shards of a campaign).
import { describe, expect, it } from 'vitest';
import type { Event } from '../model/index.js';
import { taskId } from '../model/index.js';
import { runCheck } from './check.js';
import { newOutcomeTally, outcomeHits, sumOutcomeHits } from './outcomes.js';
import { runEvents } from './run.js';

const INIT = taskId(1);

describe('outcome counts', () => {
  it('count every event of a run by syscall, outcome and check, success first', () => {
    const tally = newOutcomeTally();
    const events: Event[] = [
      { type: 'mkdir', task: INIT, path: '/mnt/a' },
      { type: 'mkdir', task: INIT, path: '/mnt/a' },
      { type: 'mkdir', task: INIT, path: '/mnt/a' },
      { type: 'umount2', task: INIT, target: '/mnt/a', flags: [] },
      { type: 'mkdir', task: INIT, path: '/tmp/b' },
    ];
    runEvents(events, { outcomes: tally });
    expect(outcomeHits(tally)).toEqual([
      { syscall: 'mkdir', outcome: 'success', check: '', hits: 2 },
      { syscall: 'mkdir', outcome: 'EEXIST', check: 'filename_create: d_is_positive', hits: 2 },
      { syscall: 'umount2', outcome: 'EINVAL', check: 'can_umount: !path_mounted', hits: 1 },
    ]);
  });

  it('sum across lists, hit for hit', () => {
    const one = [{ syscall: 'mkdir', outcome: 'success', check: '', hits: 2 }];
    const two = [
      { syscall: 'close', outcome: 'EBADF', check: 'close_fd: bad file descriptor', hits: 1 },
      { syscall: 'mkdir', outcome: 'success', check: '', hits: 3 },
    ];
    expect(sumOutcomeHits([one, two])).toEqual([
      { syscall: 'close', outcome: 'EBADF', check: 'close_fd: bad file descriptor', hits: 1 },
      { syscall: 'mkdir', outcome: 'success', check: '', hits: 5 },
    ]);
  });

  it('over a check add up to its events, and are the same for the same seed', async () => {
    const settings = { seed: 3, runs: 100, timeLimitMs: null, bug: null, maxCommands: 20, stats: false } as const;
    const first = await runCheck(settings);
    const second = await runCheck(settings);
    expect(first.outcomes.reduce((sum, hit) => sum + hit.hits, 0)).toBe(first.events);
    expect(second.outcomes).toEqual(first.outcomes);
  });
});
