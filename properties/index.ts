// The public face of properties: invariants, generators, runs, the check loop and seeded bugs.
export type { Invariant, Violation, ObjectRef, ObjectKind } from './invariant.js';
export { INVARIANTS, INVARIANT_NAMES, checkInvariants, checkStepInvariants } from './invariants/index.js';
export type { Command } from './commands.js';
export { resolveCommand } from './commands.js';
export { commands, command, MAX_COMMANDS, WEIGHTS } from './generators.js';
export type { RunOutcome, TraceStep } from './run.js';
export { runCommands, runEvents, MODEL_TOTAL } from './run.js';
export type { CheckResult, CheckSettings, Counterexample, CheckProgress } from './check.js';
export { runCheck, DEFAULT_RUNS, DEFAULT_SEED, DEFAULT_MAX_COMMANDS } from './check.js';
export { FEATURES } from './features.js';
export type { Feature } from './features.js';
export type { SeededBug } from './seeded-bugs.js';
export { SEEDED_BUGS, seededBug } from './seeded-bugs.js';
export * from './explore/index.js';
export type { Holder, References, CountedKind } from './references.js';
export { listReferences, holdersOf, objectKey } from './references.js';
export type { ReachedVia, Reachable } from './invariants/no-leak.js';
export { reachable } from './invariants/no-leak.js';
