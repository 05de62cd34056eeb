// The one place the CLI reads and writes traces through: the codec the file's name chooses, and a
// trace read is checked for references to tasks and fds that do not exist before anything replays it.
import { readFileSync } from 'node:fs';
import type { TraceStore } from './failures.js';
import { loadTrace, saveTrace } from './io.js';
import { checkReferences } from './references.js';
import type { Trace } from './trace.js';

export const traceStore: TraceStore = {
  load(path: string): Trace {
    const trace = loadTrace(path);
    checkReferences(trace, path, readFileSync(path, 'utf8'));
    return trace;
  },
  save: saveTrace,
};
