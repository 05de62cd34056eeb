// The regression corpus: traces kept for good under traces/corpus/, each recording every step's
// result and invariant verdict. `npm test` replays them all and fails on the first step whose
// result or verdict differs, naming it; `mntns corpus promote` adds a counterexample to it,
// re-recorded against the model as it is now.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StepDifference } from './record.js';
import { compareRecording, describeDifference, recordSteps } from './record.js';
import type { TraceStore } from './failures.js';
import type { Trace } from './trace.js';
import { makeTrace, TraceError } from './trace.js';
import type { AnyTrace } from './io.js';
import { saveProtocolTrace } from './io.js';
import { replayProtocolAgainstRecording, rerecordProtocol } from './protocol/history.js';

const CORPUS_FILE = /\.trace(\.json)?$/;

/** The corpus files of a folder, in name order. */
export function corpusFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => CORPUS_FILE.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Replays the trace and lists the steps whose result or verdict differs from its recording. */
export function replayAgainstRecording(trace: Trace): StepDifference[] {
  const model = trace.bug === null ? {} : { bug: trace.bug };
  return compareRecording(trace.steps, recordSteps(trace.steps.map((recorded) => recorded.event), model));
}

/** Either kind of trace against its recording: each step that differs, in words. */
export function replayAnyAgainstRecording(loaded: AnyTrace): string[] {
  if (loaded.kind === 'protocol') return replayProtocolAgainstRecording(loaded.trace, loaded.protocol);
  return replayAgainstRecording(loaded.trace).map(describeDifference);
}

/** Adds a protocol trace to the corpus, re-recorded; refuses to overwrite a corpus trace. */
export function promoteProtocol(loaded: Extract<AnyTrace, { kind: 'protocol' }>, name: string, dir: string, origin: string | null): string {
  const path = join(dir, corpusName(name));
  if (existsSync(path)) throw new TraceError(`${path}: a corpus trace of that name exists already; choose another --name, or remove it first`);
  saveProtocolTrace(path, rerecordProtocol(loaded.trace, loaded.protocol, origin));
  return path;
}

/** The trace as the model replays it now, every step re-recorded, ready to keep. */
export function rerecord(trace: Trace, origin: string | null): Trace {
  const model = trace.bug === null ? {} : { bug: trace.bug };
  return makeTrace({
    profile: trace.profile,
    seed: trace.seed,
    bug: trace.bug,
    origin: origin ?? trace.origin,
    steps: recordSteps(trace.steps.map((recorded) => recorded.event), model),
  });
}

/** A corpus file name from a person's name for the trace: lower case, dashes, `.trace`. */
export function corpusName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/\.trace(\.json)?$/, '')
    .replace(/-(raw|shrunk)$/, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${slug === '' ? 'trace' : slug}.trace`;
}

/** Adds the trace to the corpus, re-recorded; refuses to overwrite a corpus trace. */
export function promote(trace: Trace, name: string, dir: string, store: TraceStore, origin: string | null): string {
  const path = join(dir, corpusName(name));
  if (existsSync(path)) throw new TraceError(`${path}: a corpus trace of that name exists already; choose another --name, or remove it first`);
  store.save(path, rerecord(trace, origin));
  return path;
}
