// The public face of protocols: step-level models of races inside one syscall (the nsfs stash,
// mntput's fast path against umount), their check loop and their seeded bugs.
export type { Protocol, ProtocolEvent, ProtocolOptions, ProtocolStepOutcome, StepResult, StepFailure } from './engine.js';
export type { ProtocolInvariant, ProtocolViolation, ProtocolObjectRef, ProtocolObjectKind } from './invariant.js';
export { PROTOCOL_OBJECT_KINDS } from './invariant.js';
export type { ProtocolTraceStep, ProtocolRunOutcome } from './run.js';
export { runSchedule, PROTOCOL_TOTAL } from './run.js';
export type { Shortest } from './explore.js';
export { shortestViolation } from './explore.js';
export type { ProtocolCheckResult, ProtocolCheckSettings, ProtocolCounterexample } from './check.js';
export { checkProtocol, minimise, schedules, PROTOCOL_DEFAULT_RUNS, PROTOCOL_DEFAULT_SEED, PROTOCOL_MAX_STEPS } from './check.js';
export type { ProtocolSeededBug } from './seeded-bugs.js';
export { PROTOCOL_SEEDED_BUGS } from './seeded-bugs.js';
export type { ProtocolBudget, ProtocolMutantOutcome } from './suite.js';
export {
  PROTOCOL_DEFAULT_BUDGET,
  protocolMutantLines,
  protocolRecords,
  protocolsHeld,
  protocolSummaryLines,
  runProtocolBug,
  runProtocolChecks,
  runProtocolMutants,
  shortestForBug,
} from './suite.js';
export { STASH_PROTOCOL } from './stash/index.js';
export { MNTPUT_PROTOCOL } from './mntput/index.js';
export { formatResult, taskLabel } from './print.js';
export type { EventSyntax, SyntaxField } from './syntax.js';
export { eventFields, formatEventCall, MAX_PROTOCOL_ID, orderedEvent, parseEventCall, protocolEventProblem, templateFields } from './syntax.js';
export type { AnyProtocol } from './registry.js';
export { PROFILE_PREFIX, PROTOCOL_NAMES, PROTOCOLS, protocolByName, protocolOfBug, protocolOfProfile, protocolProfile } from './registry.js';
