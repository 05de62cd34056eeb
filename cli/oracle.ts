// `mntns oracle TRACE`: replay a saved trace on the model and on the real kernel side by side (the
// harness of oracle/harness.c, inside its own private mount and pid namespaces) and print, per
// step, agreement or the difference. Exit 0 when every step agrees, 1 on a disagreement, 2 when the
// kernel oracle cannot run here or the trace is bad.
import type { Event } from '../model/index.js';
import { formatCall } from '../traces/index.js';
import { loadTrace } from '../traces/index.js';
import type { Comparison } from '../oracle/index.js';
import { compareWithKernel, oracleUnavailable } from '../oracle/index.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

/** The one place traces are read for the oracle. */
function loadEvents(file: string): readonly Event[] {
  return loadTrace(file).steps.map((recorded) => recorded.event);
}

export function renderComparison(comparison: Comparison): string {
  const lines: string[] = [];
  for (const entry of comparison.steps) {
    const verdict = entry.differences.length === 0 ? 'agree' : 'DIFFER';
    const kernel = entry.kernel === null ? 'not run' : entry.kernel.result;
    const results = entry.model.result === kernel ? `= ${kernel}` : `= model ${entry.model.result}, kernel ${kernel}`;
    lines.push(`${String(entry.index).padStart(4)}  [pid ${entry.event.task}] ${formatCall(entry.event)} ${results}   ${verdict}`);
    for (const difference of entry.differences) lines.push(`        ${difference}`);
  }
  if (comparison.fatal !== null) lines.push(comparison.fatal);
  const differing = comparison.steps.filter((entry) => entry.differences.length > 0).length;
  lines.push(comparison.agree ? `model and kernel agree on all ${comparison.steps.length} steps` : `model and kernel differ on ${differing} of ${comparison.steps.length} steps`);
  return `${lines.join('\n')}\n`;
}

export async function oracleCommand(args: readonly string[]): Promise<number> {
  const { positionals, values } = parse('oracle', args, { 'step-timeout': { type: 'string' } }, 1);
  const file = positionals[0];
  if (file === undefined) throw new UsageError('mntns oracle: name a trace file, e.g. mntns oracle .mntns/failures/model-seed1-shrunk.trace.json');
  const stepTimeoutMs = integer('oracle', 'step-timeout', values['step-timeout'], 5000, 100, 600_000);
  const events = loadEvents(file);
  const unavailable = oracleUnavailable();
  if (unavailable !== null) throw new UsageError(unavailable);
  process.stdout.write(`replaying ${file} on the model and on the kernel: ${events.length} events\n`);
  const comparison = await compareWithKernel(events, {}, { stepTimeoutMs });
  process.stdout.write(renderComparison(comparison));
  return comparison.agree ? EXIT_HELD : EXIT_VIOLATED;
}
