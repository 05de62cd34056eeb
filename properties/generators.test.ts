// Generated command lists always resolve to valid traces, before and after shrinking, they use
// every syscall the model knows, fd arguments pick the kind of file the syscall wants, and the
// default budget reaches the deep states that bugs in this area need.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Event, Fd, State, TaskId } from '../model/index.js';
import { EVENT_TYPES, initialState, PROPAGATION_TYPES, step } from '../model/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, DEFAULT_SEED, runCheck } from './check.js';
import type { CommandEvent } from './commands.js';
import { resolveCommand } from './commands.js';
import { FEATURES } from './features.js';
import { commandEvent, commands } from './generators.js';
import { MODEL_TOTAL, runCommands } from './run.js';

const INIT = 1 as TaskId;

/** The state after events that must all succeed. */
function stateAfter(events: readonly Event[]): State {
  let state = initialState();
  for (const event of events) {
    const outcome = step(state, event);
    if (!outcome.result.ok) throw new Error(`${event.type} failed: ${outcome.result.errno} (${outcome.result.check})`);
    state = outcome.state;
  }
  return state;
}

const NO_FD = -1 as Fd;
const fdArgument = (event: Event): Fd => ('fd' in event ? event.fd : NO_FD);
const fsconfig = (pick: number): CommandEvent => ({ type: 'fsconfig', fd: pick, cmd: 'FSCONFIG_CMD_CREATE' });
const fsmount = (pick: number): CommandEvent => ({ type: 'fsmount', fd: pick, attr: [] });

/** The fd each pick of an fd argument resolves to. */
function resolvedFds(
  state: State,
  event: (pick: number) => CommandEvent,
  fdOf: (event: Event) => Fd | 'AT_FDCWD',
): Set<Fd | 'AT_FDCWD'> {
  return new Set([0, 1, 2, 3, 4, 5, 6, 7].map((pick) => fdOf(resolveCommand(state, { actor: 0, event: event(pick) }))));
}

// fds 3 and 4: a socketpair; 5: an O_PATH fd on /tmp; 6: a filesystem context; 7: a detached tree
const MIXED_FDS: readonly Event[] = [
  { type: 'socketpair', task: INIT },
  { type: 'open', task: INIT, path: '/tmp', flags: ['O_PATH'] },
  { type: 'fsopen', task: INIT, fsname: 'tmpfs' },
  { type: 'open_tree', task: INIT, dfd: 'AT_FDCWD', path: '/mnt', flags: ['OPEN_TREE_CLONE'] },
];

describe('generators', () => {
  it('every generated sequence, and every sequence with one command removed, runs without the model throwing', () => {
    fc.assert(
      fc.property(commands(25), fc.nat(), (sequence, cut) => {
        const shorter = sequence.filter((_command, index) => index !== cut % sequence.length);
        for (const candidate of [sequence, shorter]) {
          const outcome = runCommands(candidate);
          expect(outcome.failure?.violations.map((violation) => violation.invariant) ?? []).not.toContain(MODEL_TOTAL);
          expect(outcome.steps.length).toBe(candidate.length);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
  it('generated commands use every syscall the model knows', () => {
    const used = new Set(fc.sample(commandEvent, { seed: 1, numRuns: 3000 }).map((event) => event.type));
    expect(EVENT_TYPES.filter((type) => !used.has(type))).toEqual([]);
  });
  it('a dirfd argument comes with "" and its AT_EMPTY_PATH flag or a relative path, an absolute path with AT_FDCWD', () => {
    /** "" only through a dirfd with the empty-path flag; a dirfd only with "" or a relative path. */
    const dirfdArgument = (dfd: unknown, path: string, emptyPathFlag: boolean): void => {
      expect(emptyPathFlag).toBe(path === '');
      if (path === '') expect(dfd).not.toBe('AT_FDCWD');
      if (dfd !== 'AT_FDCWD') expect(path.startsWith('/')).toBe(false);
    };
    const seen = { emptyViaFd: 0, relativeViaFd: 0 };
    for (const event of fc.sample(commandEvent, { seed: 2, numRuns: 5000 })) {
      if (event.type === 'open_tree' || event.type === 'mount_setattr') {
        dirfdArgument(event.dfd, event.path, event.flags.includes('AT_EMPTY_PATH'));
        if (event.dfd !== 'AT_FDCWD') seen[event.path === '' ? 'emptyViaFd' : 'relativeViaFd']++;
      }
      if (event.type === 'move_mount') {
        dirfdArgument(event.from_dfd, event.from_path, event.flags.includes('MOVE_MOUNT_F_EMPTY_PATH'));
        dirfdArgument(event.to_dfd, event.to_path, event.flags.includes('MOVE_MOUNT_T_EMPTY_PATH'));
      }
      if (event.type === 'mount' && event.flags.some((flag) => (PROPAGATION_TYPES as readonly string[]).includes(flag))) {
        expect([event.source, event.fstype]).toEqual([null, null]);
      }
    }
    expect(seen.emptyViaFd).toBeGreaterThan(0);
    expect(seen.relativeViaFd).toBeGreaterThan(0);
  });
  it('fsconfig and fsmount pick the filesystem context among other fds, move_mount the detached tree', () => {
    const state = stateAfter(MIXED_FDS);
    expect(resolvedFds(state, fsconfig, fdArgument)).toEqual(new Set([6]));
    expect(resolvedFds(state, fsmount, fdArgument)).toEqual(new Set([6]));
    const moveFrom = (pick: number): CommandEvent => ({
      type: 'move_mount',
      from_dfd: pick,
      from_path: '',
      to_dfd: 'AT_FDCWD',
      to_path: '/tmp',
      flags: ['MOVE_MOUNT_F_EMPTY_PATH'],
    });
    expect(resolvedFds(state, moveFrom, (event) => (event.type === 'move_mount' ? event.from_dfd : NO_FD))).toEqual(new Set([7]));
  });
  it('fsmount prefers a context FSCONFIG_CMD_CREATE has run on, recvmsg a socket with a message waiting', () => {
    const state = stateAfter([
      ...MIXED_FDS,
      { type: 'fsopen', task: INIT, fsname: 'tmpfs' },
      { type: 'fsconfig', task: INIT, fd: 8 as Fd, cmd: 'FSCONFIG_CMD_CREATE' },
      { type: 'sendmsg', task: INIT, fd: 3 as Fd, fds: [5 as Fd] },
    ]);
    expect(resolvedFds(state, fsmount, fdArgument)).toEqual(new Set([8]));
    expect(resolvedFds(state, fsconfig, fdArgument)).toEqual(new Set([6]));
    expect(resolvedFds(state, (pick) => ({ type: 'recvmsg', fd: pick }), fdArgument)).toEqual(new Set([4]));
  });
  it('an fd argument falls back to any of the actor\'s fds when it has none of the kind wanted', () => {
    const state = stateAfter([{ type: 'socketpair', task: INIT }]);
    expect(resolvedFds(state, fsconfig, fdArgument)).toEqual(new Set([3, 4]));
  });
  it('the default budget reaches every deep state at least once', async () => {
    const result = await runCheck({
      seed: DEFAULT_SEED,
      runs: DEFAULT_RUNS,
      timeLimitMs: null,
      bug: null,
      maxCommands: DEFAULT_MAX_COMMANDS,
      stats: true,
    });
    const unreached = Object.keys(FEATURES).filter((feature) => (result.features?.[feature as keyof typeof FEATURES] ?? 0) === 0);
    expect(unreached).toEqual([]);
  });
});
