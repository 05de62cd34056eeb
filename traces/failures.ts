// The failure database: a folder (.mntns/failures by default) where mntns check writes every
// counterexample the moment it is found (<stem>-raw.trace) and again each time shrinking makes it
// shorter (<stem>-shrunk.trace), the stem naming the model and the seed (model-seed7,
// mnt-ns-loop-off-by-one-seed20261121). The next run replays them before anything random: the
// shrunk one of a stem where there is one (it may be a partial shrink, if a run was killed), else
// the raw one. One that no longer fails is moved to fixed/ beside them, so nothing is lost and it
// is not replayed again.
//
// Protocol counterexamples live in the same folder, under the protocol's name or its seeded bug
// (nsfs-stash-seed7, stash-plain-store-seed7); the profile in each file's header says which model
// it belongs to, and each model replays only its own.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SeededBugId } from '../model/index.js';
import { isProtocolProfile, profileOf } from './profile.js';
import type { Trace } from './trace.js';

export const DEFAULT_FAILURES_DIR = '.mntns/failures';
export const FIXED_SUBDIR = 'fixed';

export type FailureStage = 'raw' | 'shrunk';

/** How traces are read and written (the codecs of traces/). */
export interface TraceStore<T = Trace> {
  load(path: string): T;
  save(path: string, trace: T): void;
}

export interface SavedFailure<T = Trace> {
  readonly path: string;
  readonly stem: string;
  readonly trace: T;
}

const STAGED = /^(.*)-(raw|shrunk)\.trace(\.json)?$/;

/** The stem of a campaign's counterexamples: the model (or seeded bug) and the seed. */
export function failureStem(bug: SeededBugId | null, seed: number): string {
  return `${bug ?? 'model'}-seed${seed}`;
}

/** The stem of a protocol campaign's counterexamples: the protocol (or its seeded bug) and the seed. */
export function protocolFailureStem(protocol: string, bug: string | null, seed: number): string {
  return `${bug ?? protocol}-seed${seed}`;
}

export function failurePath(dir: string, stem: string, stage: FailureStage): string {
  return join(dir, `${stem}-${stage}.trace`);
}

/**
 * The saved counterexamples of the folder, one per stem (shrunk before raw, the line format before
 * JSON), in name order; only those recorded against `bug` (null: the model itself) and, by the
 * profile of their header, against `profile` (null: the syscall model, any profile that does not
 * name a protocol). A folder that does not exist holds none.
 */
export function savedFailures<T extends { readonly bug: string | null }>(
  dir: string,
  bug: string | null,
  store: TraceStore<T>,
  profile: string | null = null,
): SavedFailure<T>[] {
  if (!existsSync(dir)) return [];
  const byStem = new Map<string, string[]>();
  for (const name of readdirSync(dir).sort()) {
    const match = STAGED.exec(name);
    if (match === null) continue;
    const stem = match[1] as string;
    byStem.set(stem, [...(byStem.get(stem) ?? []), name]);
  }
  const preference = (name: string): number => (name.includes('-shrunk.') ? 0 : 2) + (name.endsWith('.json') ? 1 : 0);
  const saved: SavedFailure<T>[] = [];
  for (const [stem, names] of [...byStem].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const best = [...names].sort((a, b) => preference(a) - preference(b))[0] as string;
    const path = join(dir, best);
    const own = profileOf(readFileSync(path, 'utf8'), path);
    if (profile === null ? isProtocolProfile(own) : own !== profile) continue;
    const trace = store.load(path);
    if (trace.bug === bug) saved.push({ path, stem, trace });
  }
  return saved;
}

/** Moves every file of the stem to fixed/; returns where they went. */
/**
 * Moves to fixed/ each saved failure that replayed without failing; returns the names of those
 * replays, in their order.
 */
export function retireFixed(
  dir: string,
  replayed: readonly { readonly name: string; readonly stillFails: boolean }[],
  saved: readonly { readonly path: string; readonly stem: string }[],
): string[] {
  return replayed
    .filter((replay) => !replay.stillFails)
    .map((replay) => {
      const failure = saved.find((candidate) => candidate.path === replay.name);
      if (failure !== undefined) retireFailure(dir, failure.stem);
      return replay.name;
    });
}

export function retireFailure(dir: string, stem: string): string {
  const fixed = join(dir, FIXED_SUBDIR);
  mkdirSync(fixed, { recursive: true });
  for (const name of readdirSync(dir)) {
    const match = STAGED.exec(name);
    if (match !== null && match[1] === stem) renameSync(join(dir, name), join(fixed, basename(name)));
  }
  return fixed;
}
