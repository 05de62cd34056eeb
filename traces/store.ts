// The one place the CLI reads and writes traces through: a trace read is checked for references to
// tasks and fds that do not exist before anything replays it.
import { readFileSync } from 'node:fs';
import type { TraceStore } from './failures.js';
import { checkReferences } from './references.js';
import { loadTrace, saveTrace } from './file.js';
import type { Trace } from './trace.js';
import { makeTrace } from './trace.js';

export const traceStore: TraceStore = {
  load(path: string): Trace {
    const file = loadTrace(path);
    const trace = makeTrace({
      profile: file.profile,
      seed: file.seed,
      bug: file.bug,
      steps: file.steps.map((recorded, index) => ({
        event: recorded.event,
        result: recorded.result,
        violations: index === file.steps.length - 1 ? file.violations : [],
      })),
    });
    checkReferences(trace, path, readFileSync(path, 'utf8'));
    return trace;
  },
  save(path: string, trace: Trace): void {
    saveTrace(path, {
      format: 'mntns-trace',
      version: 1,
      profile: trace.profile,
      seed: trace.seed,
      bug: trace.bug,
      steps: trace.steps.map((recorded) => ({
        event: recorded.event,
        result: recorded.result ?? { ok: false, errno: 'EINVAL', check: 'not recorded' },
      })),
      violations: trace.steps.at(-1)?.violations ?? [],
    });
  },
};
