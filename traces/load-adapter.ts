// Reads a trace file into a Trace: the version 1 JSON file of traces/file.ts, its violations put
// on the last step (where they were found). The one place replay loads files through.
import { loadTrace } from './file.js';
import type { RecordedStep, Trace } from './trace.js';
import { makeTrace } from './trace.js';

export function loadReplayTrace(path: string): Trace {
  const file = loadTrace(path);
  const last = file.steps.length - 1;
  const steps: RecordedStep[] = file.steps.map((recorded, index) => ({
    event: recorded.event,
    result: recorded.result,
    violations: index === last ? file.violations : [],
  }));
  return makeTrace({ profile: file.profile, seed: file.seed, bug: file.bug, steps });
}
