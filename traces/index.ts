// The public face of traces: what a trace is, its two codecs (the line format and its JSON form),
// trace files, the schema and strace-like printing; recording and comparing, shrinking, the
// failure database, the regression corpus, campaigns, and time-travel replay.
export * from './trace.js';
export { parseTrace, printTrace } from './line-format.js';
export { parseJsonTrace, printJsonTrace } from './json-format.js';
export type { AnyTrace } from './io.js';
export { loadAnyTrace, loadTrace, parseAnyTrace, protocolOfTrace, saveAnyTrace, saveProtocolTrace, saveTrace } from './io.js';
export { profileOf, isProtocolProfile } from './profile.js';
export * from './protocol/index.js';
export { traceSchema } from './schema.js';
export * from './print.js';
export { eventProblem } from './validate.js';
export * from './record.js';
export * from './shrink.js';
export * from './failures.js';
export * from './corpus.js';
export * from './campaign.js';
export { traceStore } from './store.js';
export { checkReferences } from './references.js';
export * from './history.js';
export * from './diff.js';
export * from './findmnt.js';
export * from './holders.js';
