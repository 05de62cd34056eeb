// The trace file: what a run found, kept on disk so it can be replayed later. Version 1 is JSON;
// every event carries the result the model gave it when the trace was recorded.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Event, Result, SeededBugId } from '../model/index.js';
import { isSeededBugId } from '../model/index.js';
import type { Violation } from '../properties/invariant.js';
import { eventProblem } from './validate.js';

export const TRACE_FORMAT = 'mntns-trace';
export const TRACE_VERSION = 1;
export const MODEL_PROFILE = 'linux-6.18';

export interface TraceFile {
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  readonly profile: string;
  readonly seed: number | null;
  readonly bug: SeededBugId | null;
  readonly steps: readonly { readonly event: Event; readonly result: Result }[];
  /** The invariant violations after the last step, when the trace is a counterexample. */
  readonly violations: readonly Violation[];
}

/** A user error in a trace file: one line naming the place and the fix. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
}

/** Write atomically (temporary file, then rename), so a killed run never leaves half a trace. */
export function saveTrace(path: string, trace: TraceFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(trace, null, 1)}\n`);
  renameSync(temporary, path);
}

export function loadTrace(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new TraceError(`${path}: cannot read the trace file; check the path`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TraceError(`${path}:1: not a JSON trace (${(error as Error).message}); save traces with mntns check`);
  }
  if (typeof data !== 'object' || data === null || (data as { format?: unknown }).format !== TRACE_FORMAT) {
    throw new TraceError(`${path}:1: not an mntns trace (no "format": "${TRACE_FORMAT}")`);
  }
  const trace = data as Partial<TraceFile>;
  if (typeof trace.version !== 'number' || trace.version > TRACE_VERSION) {
    throw new TraceError(
      `${path}:1: trace format version ${String(trace.version)} is newer than this mntns reads (${TRACE_VERSION}); upgrade mntns`,
    );
  }
  if (!Array.isArray(trace.steps)) throw new TraceError(`${path}:1: "steps" must be a list of {event, result}`);
  trace.steps.forEach((recorded: unknown, index) => {
    const event = typeof recorded === 'object' && recorded !== null ? (recorded as { event?: unknown }).event : undefined;
    const problem = eventProblem(event);
    if (problem !== null) throw new TraceError(`${path}: step ${index + 1}: ${problem}`);
    const result = (recorded as { result?: unknown }).result;
    if (typeof result !== 'object' || result === null || typeof (result as { ok?: unknown }).ok !== 'boolean') {
      throw new TraceError(`${path}: step ${index + 1}: "result" must be {ok: true, value} or {ok: false, errno, check}`);
    }
  });
  if (trace.bug !== null && trace.bug !== undefined && !isSeededBugId(trace.bug)) {
    throw new TraceError(`${path}:1: unknown seeded bug "${String(trace.bug)}"; see mntns mutants`);
  }
  return {
    format: TRACE_FORMAT,
    version: trace.version,
    profile: trace.profile ?? MODEL_PROFILE,
    seed: trace.seed ?? null,
    bug: trace.bug ?? null,
    steps: trace.steps,
    violations: trace.violations ?? [],
  };
}
