// Shrinking with a guarantee. fast-check shrinks the abstract command lists it generated; this pass
// works on the concrete events of a trace (a counterexample of mntns check, or one written by hand)
// and ends 1-minimal: removing any single event, or simplifying any single argument, no longer
// reproduces the violation. "The same violation" is the same invariant breaking, at the trace's last
// step; the events after the first violation are cut first.
//
// The passes, repeated until none changes anything:
//   1. delta debugging (ddmin): remove chunks of events, halving the chunk size down to one event;
//   2. argument simplification: for each event in turn, the simpler variants of simplerEvents(),
//      keeping the first that still reproduces.
// Every candidate is run through the model from the boot state; candidates are tried in a fixed
// order, so shrinking is deterministic.
import type { Event, ModelOptions } from '../model/index.js';
import { fd as toFd, taskId } from '../model/index.js';
import type { RunOutcome, Violation } from '../properties/index.js';
import { runEvents } from '../properties/index.js';

export interface ShrinkSettings {
  readonly model: ModelOptions;
  /** The invariant whose violation must be kept. */
  readonly invariant: string;
  /** Called with each smaller reproducing trace as it is found (to save progress). */
  readonly onProgress?: (events: readonly Event[], violations: readonly Violation[]) => void;
  /** Stop after this many model runs (a safety net for huge traces); unbounded by default. */
  readonly maxRuns?: number;
}

export interface ShrinkResult {
  readonly events: readonly Event[];
  readonly violations: readonly Violation[];
  /** Model runs spent. */
  readonly runs: number;
  /** True when every single removal and simplification was tried and none reproduced. */
  readonly minimal: boolean;
}

/** The first invariant violated by the events, or null when every invariant holds. */
export function firstViolated(events: readonly Event[], model: ModelOptions): string | null {
  return runEvents(events, { model }).failure?.violations[0]?.invariant ?? null;
}

class Budget {
  runs = 0;
  constructor(private readonly max: number) {}
  get spent(): boolean {
    return this.runs >= this.max;
  }
}

/** Runs the candidate; returns it cut at its first violation when that breaks the invariant. */
function reproduces(candidate: readonly Event[], settings: ShrinkSettings, budget: Budget): { events: Event[]; outcome: RunOutcome } | null {
  budget.runs++;
  const outcome = runEvents(candidate, { model: settings.model });
  const failure = outcome.failure;
  if (failure === null || !failure.violations.some((violation) => violation.invariant === settings.invariant)) return null;
  return { events: candidate.slice(0, failure.step + 1), outcome };
}

/**
 * Shrinks `events`, which must violate `settings.invariant`, to a 1-minimal trace. Throws when the
 * events do not reproduce the violation at all.
 */
export function shrinkEvents(events: readonly Event[], settings: ShrinkSettings): ShrinkResult {
  const budget = new Budget(settings.maxRuns ?? Number.POSITIVE_INFINITY);
  const start = reproduces(events, settings, budget);
  if (start === null) throw new Error(`shrinkEvents: the events do not violate ${settings.invariant}`);
  let current = start.events;
  let violations = start.outcome.failure?.violations ?? [];
  const accept = (found: { events: Event[]; outcome: RunOutcome }): void => {
    current = found.events;
    violations = found.outcome.failure?.violations ?? [];
    settings.onProgress?.(current, violations);
  };

  for (let changed = true; changed && !budget.spent; ) {
    changed = false;
    // 1. ddmin over removals: chunks of n events, n halving down to 1.
    for (let size = Math.max(1, Math.floor(current.length / 2)); size >= 1 && !budget.spent; size = Math.floor(size / 2)) {
      for (let at = 0; at < current.length && !budget.spent; ) {
        const found = reproduces([...current.slice(0, at), ...current.slice(at + size)], settings, budget);
        if (found !== null) {
          accept(found);
          changed = true;
        } else {
          at += size;
        }
      }
    }
    // 2. simplify one argument of one event at a time.
    for (let index = 0; index < current.length && !budget.spent; index++) {
      for (const simpler of simplerEvents(current[index] as Event)) {
        const found = reproduces([...current.slice(0, index), simpler, ...current.slice(index + 1)], settings, budget);
        if (found !== null) {
          accept(found);
          changed = true;
          break;
        }
      }
    }
  }
  return { events: current, violations, runs: budget.runs, minimal: !budget.spent };
}

/** Removing any single event or simplifying any single argument no longer reproduces. */
export function isOneMinimal(events: readonly Event[], settings: Omit<ShrinkSettings, 'onProgress' | 'maxRuns'>): boolean {
  const budget = new Budget(Number.POSITIVE_INFINITY);
  if (reproduces(events, settings, budget) === null) return false;
  for (let index = 0; index < events.length; index++) {
    if (reproduces([...events.slice(0, index), ...events.slice(index + 1)], settings, budget) !== null) return false;
    for (const simpler of simplerEvents(events[index] as Event)) {
      if (reproduces([...events.slice(0, index), simpler, ...events.slice(index + 1)], settings, budget) !== null) return false;
    }
  }
  return true;
}

// ---- simpler arguments -------------------------------------------------------------------------

/** Each list with one element left out. */
function fewer<T>(list: readonly T[]): T[][] {
  return list.map((_item, index) => [...list.slice(0, index), ...list.slice(index + 1)]);
}

/** Shorter paths: the parent directory, then "/" (never the path itself). */
function simplerPaths(path: string): string[] {
  const out: string[] = [];
  const cut = path.replace(/\/+$/, '').replace(/\/[^/]*$/, '');
  if (path.startsWith('/')) {
    if (cut !== '' && cut !== path) out.push(cut);
    if (path !== '/') out.push('/');
  } else if (cut !== path && cut !== '') {
    out.push(cut);
  }
  return [...new Set(out)].filter((candidate) => candidate !== path);
}

/** Smaller descriptors, lowest first. */
function smallerFds(fd: number): number[] {
  const out: number[] = [];
  for (let candidate = 3; candidate < fd; candidate++) out.push(candidate);
  return out;
}

/**
 * The variants of an event that are one step simpler: one flag fewer, a shorter path, a smaller
 * fd, AT_FDCWD for a dirfd, the lowest task. Each differs from the event in exactly one field.
 */
export function simplerEvents(event: Event): Event[] {
  const out: Event[] = [];
  if (event.task > 1) out.push({ ...event, task: taskId(1) });
  switch (event.type) {
    case 'clone':
    case 'unshare':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      break;
    case 'capset':
      for (const effective of fewer(event.effective)) out.push({ ...event, effective });
      break;
    case 'setns':
      if (event.nstype !== '0') out.push({ ...event, nstype: '0' });
      for (const fd of smallerFds(event.fd)) out.push({ ...event, fd: toFd(fd) });
      break;
    case 'close':
    case 'dup':
    case 'fchdir':
    case 'recvmsg':
    case 'fsconfig':
      for (const fd of smallerFds(event.fd)) out.push({ ...event, fd: toFd(fd) });
      break;
    case 'fsmount':
      for (const attr of fewer(event.attr)) out.push({ ...event, attr });
      for (const fd of smallerFds(event.fd)) out.push({ ...event, fd: toFd(fd) });
      break;
    case 'sendmsg':
      for (const fds of fewer(event.fds)) out.push({ ...event, fds });
      for (const fd of smallerFds(event.fd)) out.push({ ...event, fd: toFd(fd) });
      break;
    case 'mkdir':
    case 'rmdir':
    case 'mknod':
    case 'unlink':
    case 'chdir':
    case 'chroot':
      for (const path of simplerPaths(event.path)) out.push({ ...event, path });
      break;
    case 'open':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      for (const path of simplerPaths(event.path)) out.push({ ...event, path });
      break;
    case 'mount':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      for (const target of simplerPaths(event.target)) out.push({ ...event, target });
      if (event.source !== null) for (const source of simplerPaths(event.source)) out.push({ ...event, source });
      break;
    case 'umount2':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      for (const target of simplerPaths(event.target)) out.push({ ...event, target });
      break;
    case 'pivot_root':
      for (const new_root of simplerPaths(event.new_root)) out.push({ ...event, new_root });
      for (const put_old of simplerPaths(event.put_old)) out.push({ ...event, put_old });
      break;
    case 'open_tree':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      if (event.dfd !== 'AT_FDCWD') out.push({ ...event, dfd: 'AT_FDCWD' });
      for (const path of simplerPaths(event.path)) out.push({ ...event, path });
      break;
    case 'move_mount':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      if (event.from_dfd !== 'AT_FDCWD') out.push({ ...event, from_dfd: 'AT_FDCWD' });
      if (event.to_dfd !== 'AT_FDCWD') out.push({ ...event, to_dfd: 'AT_FDCWD' });
      for (const from_path of simplerPaths(event.from_path)) out.push({ ...event, from_path });
      for (const to_path of simplerPaths(event.to_path)) out.push({ ...event, to_path });
      break;
    case 'mount_setattr':
      for (const flags of fewer(event.flags)) out.push({ ...event, flags });
      for (const attr_set of fewer(event.attr_set)) out.push({ ...event, attr_set });
      for (const attr_clr of fewer(event.attr_clr)) out.push({ ...event, attr_clr });
      if (event.propagation !== null) out.push({ ...event, propagation: null });
      if (event.dfd !== 'AT_FDCWD') out.push({ ...event, dfd: 'AT_FDCWD' });
      for (const path of simplerPaths(event.path)) out.push({ ...event, path });
      break;
    case 'exit':
    case 'socketpair':
    case 'fsopen':
      break;
  }
  return out;
}
