// One line per step: `[task 2] mntput_no_expire(mount 1): READ_ONCE(mnt->mnt_ns)  -> ns 1: fast path`.
import type { StepResult } from '../engine.js';
import { formatResult, taskLabel } from '../print.js';
import { formatEventCall } from '../syntax.js';
import type { MntputEvent } from './events.js';
import { MNTPUT_SYNTAX } from './syntax.js';

export const formatMntputCall = (event: MntputEvent): string => formatEventCall(MNTPUT_SYNTAX, event);

export function formatMntputStep(event: MntputEvent, result: StepResult): string {
  return `${taskLabel(event.task)} ${formatMntputCall(event)}${formatResult(result)}`;
}
