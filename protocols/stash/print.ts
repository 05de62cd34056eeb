// One line per step, naming the task, the kernel function it is in and the statement it runs:
//   [task 2] stashed_dentry_get(ns 1): dentry = ns->stashed  -> dentry 4
import type { StepResult } from '../engine.js';
import { formatResult, taskLabel } from '../print.js';
import { formatEventCall } from '../syntax.js';
import type { StashEvent } from './events.js';
import { STASH_SYNTAX } from './syntax.js';

export const formatStashCall = (event: StashEvent): string => formatEventCall(STASH_SYNTAX, event);

export function formatStashStep(event: StashEvent, result: StepResult): string {
  return `${taskLabel(event.task)} ${formatStashCall(event)}${formatResult(result)}`;
}
