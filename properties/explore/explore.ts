// Exhaustive bounded exploration: every sequence of up to `depth` events over a finite vocabulary,
// breadth-first, so the first counterexample found is a shortest one. States are deduplicated by
// their canonical fingerprint (fingerprint.ts); each level's frontier is split into chunks that
// worker threads expand (expand.ts), and the results are merged in chunk order, so the states,
// counts and counterexample are the same whatever the number of workers. A shard i/N explores the
// sequences whose first event's vocabulary index is i-1 modulo N; the N shards together cover all.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Event, ModelOptions, SeededBugId } from '../../model/index.js';
import { initialState } from '../../model/index.js';
import type { Violation } from '../invariant.js';
import { checkInvariants, INVARIANTS } from '../invariants/index.js';
import type { ChunkResult } from './expand.js';
import { Expander } from './expand.js';
import { fingerprint } from './fingerprint.js';
import { collisionProbability, FingerprintSet } from './visited.js';
import type { ChunkRequest, WorkerSetup } from './worker.js';

export const DEFAULT_DEPTH = 4;
/** Frontier paths per chunk: large enough to amortise a message, small enough to spread well. */
export const CHUNK_PATHS = 48;

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export interface ExploreSettings {
  readonly depth: number;
  readonly vocabulary: readonly Event[];
  readonly bug: SeededBugId | null;
  /** Worker threads; 0 expands in the calling thread. */
  readonly workers: number;
  readonly shard: Shard | null;
  readonly timeLimitMs: number | null;
  /** Check only these invariants (by name); all of them when absent or null. */
  readonly invariants?: readonly string[] | null;
  readonly onProgress?: (progress: ExploreProgress) => void;
  readonly shouldStop?: () => boolean;
}

export interface ExploreProgress {
  readonly depth: number;
  readonly distinctStates: number;
  readonly transitions: number;
  /** Frontier paths of the current level not yet expanded, and states queued for the next level. */
  readonly queued: number;
  readonly elapsedMs: number;
}

export interface LevelFigures {
  readonly depth: number;
  /** States of the previous level expanded at this one. */
  readonly expanded: number;
  readonly transitions: number;
  /** States first reached at this depth. */
  readonly newStates: number;
}

export type ExploreStop = 'complete' | 'exhausted' | 'violation' | 'time-limit' | 'interrupted';

export interface ExploreResult {
  readonly depth: number;
  /** Every sequence of up to this many events was explored (equal to depth when complete). */
  readonly depthCompleted: number;
  readonly vocabularySize: number;
  readonly bug: SeededBugId | null;
  readonly shard: Shard | null;
  readonly distinctStates: number;
  readonly transitions: number;
  readonly levels: readonly LevelFigures[];
  readonly stoppedBy: ExploreStop;
  readonly counterexample: { readonly events: readonly Event[]; readonly violations: readonly Violation[] } | null;
  /** The probability that a fingerprint collision hid a state. */
  readonly collisionProbability: number;
  readonly visitedBytes: number;
  readonly elapsedMs: number;
}

/** The built worker beside this module (dist/properties/explore/worker.js), or null when running from source. */
function workerFile(): string | null {
  const path = fileURLToPath(new URL('./worker.js', import.meta.url));
  return existsSync(path) ? path : null;
}

interface Pool {
  run(requests: readonly ChunkRequest[], onDone: () => boolean): Promise<(ChunkResult | null)[]>;
  close(): Promise<void>;
}

function threadPool(count: number, setup: WorkerSetup): Pool | null {
  const file = workerFile();
  if (count === 0 || file === null) return null;
  const workers = Array.from({ length: count }, () => new Worker(file, { workerData: setup }));
  return {
    run: (requests, onDone) =>
      new Promise((resolve, reject) => {
        const results: (ChunkResult | null)[] = requests.map(() => null);
        let next = 0;
        let pending = 0;
        let stopped = false;
        const feed = (worker: Worker): void => {
          if (stopped || next >= requests.length) {
            if (pending === 0) resolve(results);
            return;
          }
          pending++;
          worker.postMessage(requests[next++]);
        };
        for (const worker of workers) {
          worker.removeAllListeners('message');
          worker.removeAllListeners('error');
          worker.on('error', reject);
          worker.on('message', (message: { chunk: number; result: ChunkResult }) => {
            pending--;
            results[message.chunk] = message.result;
            if (!onDone()) stopped = true;
            feed(worker);
          });
        }
        for (const worker of workers) feed(worker);
      }),
    close: async () => {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}

function localPool(setup: WorkerSetup): Pool {
  const expander = new Expander(setup.vocabulary, setup.model, setup.invariants);
  return {
    run: async (requests, onDone) => {
      const results: (ChunkResult | null)[] = requests.map(() => null);
      for (const request of requests) {
        results[request.chunk] = expander.expand(request.paths, request.only);
        if (!onDone()) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      return results;
    },
    close: async () => {},
  };
}

export async function explore(settings: ExploreSettings): Promise<ExploreResult> {
  const started = performance.now();
  const model: ModelOptions = settings.bug === null ? {} : { bug: settings.bug };
  const setup: WorkerSetup = { vocabulary: settings.vocabulary, model, invariants: settings.invariants ?? null };
  const pool = threadPool(settings.workers, setup) ?? localPool(setup);
  const visited = new FingerprintSet();
  const boot = initialState();
  visited.add(...fingerprint(boot));
  const levels: LevelFigures[] = [];
  let transitions = 0;
  let stoppedBy: ExploreStop = 'complete';
  let counterexample: ExploreResult['counterexample'] = null;
  let depthCompleted = 0;
  const bootViolations = checkInvariants(boot, settings.invariants == null ? INVARIANTS : INVARIANTS.filter((invariant) => settings.invariants?.includes(invariant.name)));
  if (bootViolations.length > 0) {
    counterexample = { events: [], violations: bootViolations };
    stoppedBy = 'violation';
  }
  const firstEvents =
    settings.shard === null ? null : settings.vocabulary.map((_event, index) => index).filter((index) => index % (settings.shard as Shard).count === (settings.shard as Shard).index - 1);

  let frontier: number[][] = [[]];
  try {
    for (let depth = 1; depth <= settings.depth && counterexample === null; depth++) {
      const requests: ChunkRequest[] = [];
      for (let at = 0; at < frontier.length; at += CHUNK_PATHS) {
        requests.push({ chunk: requests.length, paths: frontier.slice(at, at + CHUNK_PATHS), only: depth === 1 ? firstEvents : null });
      }
      let done = 0;
      let levelTransitions = 0;
      const keepGoing = (): boolean => {
        done++;
        settings.onProgress?.({
          depth,
          distinctStates: visited.size,
          transitions: transitions + levelTransitions,
          queued: Math.max(0, frontier.length - done * CHUNK_PATHS),
          elapsedMs: performance.now() - started,
        });
        if (settings.shouldStop?.() === true) {
          stoppedBy = 'interrupted';
          return false;
        }
        if (settings.timeLimitMs !== null && performance.now() - started >= settings.timeLimitMs) {
          stoppedBy = 'time-limit';
          return false;
        }
        return true;
      };
      const results = await pool.run(requests, keepGoing);
      const next: number[][] = [];
      let newStates = 0;
      for (const [chunk, result] of results.entries()) {
        if (result === null) continue;
        const paths = (requests[chunk] as ChunkRequest).paths;
        levelTransitions += result.transitions;
        if (result.violation !== null && counterexample === null) {
          const path = [...(paths[result.violation.parent] as number[]), result.violation.event];
          counterexample = { events: path.map((index) => settings.vocabulary[index] as Event), violations: result.violation.violations };
        }
        for (let index = 0; index < result.parents.length; index++) {
          if (visited.add(result.fingerprints[2 * index] as number, result.fingerprints[2 * index + 1] as number)) {
            newStates++;
            next.push([...(paths[result.parents[index] as number] as number[]), result.events[index] as number]);
          }
        }
      }
      transitions += levelTransitions;
      levels.push({ depth, expanded: frontier.length, transitions: levelTransitions, newStates });
      if (counterexample !== null) {
        stoppedBy = 'violation';
        break;
      }
      if (stoppedBy !== 'complete') break;
      depthCompleted = depth;
      frontier = next;
      if (frontier.length === 0) {
        stoppedBy = 'exhausted';
        break;
      }
    }
  } finally {
    await pool.close();
  }
  return {
    depth: settings.depth,
    depthCompleted: stoppedBy === 'exhausted' ? settings.depth : depthCompleted,
    vocabularySize: settings.vocabulary.length,
    bug: settings.bug,
    shard: settings.shard,
    distinctStates: visited.size,
    transitions,
    levels,
    stoppedBy,
    counterexample,
    collisionProbability: collisionProbability(visited.size),
    visitedBytes: visited.bytes,
    elapsedMs: performance.now() - started,
  };
}
