// The public face of the model.
export type * from './ids.js';
export * from './ids.js';
export * from './errno.js';
export * from './result.js';
export type * from './state.js';
export * from './events.js';
export * from './options.js';
export { initialState, BOOT_DIRECTORIES } from './init.js';
export { step, checkEvent, setFreezing } from './step.js';
export type { StepOutcome } from './step.js';
export { ModelBug } from './internal/bug.js';
export { subtree, followMounts, isUnmounted, isSubdir } from './internal/mount-tree.js';
export { nsInum } from './internal/nsfs.js';
export { nsCapable, mayMount } from './internal/capability.js';
export type { ModelCheck } from './checks.js';
export { MODEL_CHECKS, UNREACHABLE_BY_DESIGN, checkKey, isUnreachableByDesign, reachableChecks } from './checks.js';
