// Printing protocol steps: `[task 2] <function>(<object>): <statement>  -> <value>`, with the RCU
// machinery (task 0) as `[rcu]`, a blocked step's reason and a finished task's no-op.
import type { StepResult } from './engine.js';

export const taskLabel = (task: number): string => (task === 0 ? '[rcu]' : `[task ${task}]`);

export function formatResult(result: StepResult): string {
  if (!result.ok) return `  -> ${result.failure}: ${result.detail}`;
  return result.value === '' ? '' : `  -> ${result.value}`;
}
