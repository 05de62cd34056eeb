// The public face of traces: the trace and its file formats, strace-like printing, recording and
// comparing, shrinking, the failure database, the regression corpus and campaigns.
export * from './file.js';
export * from './print.js';
export { TRACE_VERSION as TRACE_FORMAT_VERSION, makeTrace, finalViolations, TraceError as TraceFormatError } from './trace.js';
export type { Trace, RecordedStep } from './trace.js';
export * from './record.js';
export * from './shrink.js';
export * from './failures.js';
export * from './corpus.js';
export * from './campaign.js';
export { traceStore } from './store.js';
export { checkReferences } from './references.js';
