// `mntns oracle TRACE`: replay a saved trace on the model and on the real kernel side by side (the
// harness of oracle/harness.c, inside its own private mount and pid namespaces) and print, per
// step, agreement or the difference. Exit 0 when every step agrees, 1 on a disagreement, 2 when the
// kernel oracle cannot run here or the trace is bad. `mntns oracle --runs N` is a differential
// campaign (cli/oracle-campaign.ts).
import type { Event } from '../model/index.js';
import { formatCall, traceStore } from '../traces/index.js';
import type { Comparison } from '../oracle/index.js';
import { compareWithKernel, oracleUnavailable, unexplained } from '../oracle/index.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_SEED } from '../properties/index.js';
import { DEFAULT_REPORT_DIR } from '../reports/index.js';
import { oracleCampaign } from './oracle-campaign.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

/** The one place traces are read for the oracle. */
function loadEvents(file: string): readonly Event[] {
  return traceStore.load(file).steps.map((recorded) => recorded.event);
}

export function renderComparison(comparison: Comparison): string {
  const lines: string[] = [];
  for (const entry of comparison.steps) {
    const verdict = entry.differences.length === 0 ? 'agree' : entry.deviations.length > 0 ? 'differ (deliberate deviation)' : 'DIFFER';
    const kernel = entry.kernel === null ? 'not run' : entry.kernel.result;
    const results = entry.model.result === kernel ? `= ${kernel}` : `= model ${entry.model.result}, kernel ${kernel}`;
    lines.push(`${String(entry.index).padStart(4)}  [pid ${entry.event.task}] ${formatCall(entry.event)} ${results}   ${verdict}`);
    for (const difference of entry.differences) lines.push(`        ${difference}`);
    for (const deviation of entry.deviations) lines.push(`        deviation ${deviation.name}: ${deviation.reason}`);
  }
  if (comparison.fatal !== null) lines.push(comparison.fatal);
  const differing = comparison.steps.filter(unexplained).length;
  const deviating = comparison.steps.filter((entry) => entry.differences.length > 0 && entry.deviations.length > 0).length;
  const deviated = deviating === 0 ? '' : `; ${deviating} step(s) differ by a deliberate deviation`;
  lines.push(
    comparison.agree && deviating === 0
      ? `model and kernel agree on all ${comparison.steps.length} steps`
      : comparison.agree
        ? `model and kernel agree on every step no deliberate deviation explains${deviated}`
        : `model and kernel differ on ${differing} of ${comparison.steps.length} steps${deviated}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function oracleCommand(args: readonly string[]): Promise<number> {
  const { positionals, values } = parse(
    'oracle',
    args,
    {
      'step-timeout': { type: 'string' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      'max-commands': { type: 'string' },
      'failures-dir': { type: 'string' },
      'report-dir': { type: 'string' },
    },
    1,
  );
  const file = positionals[0];
  const stepTimeoutMs = integer('oracle', 'step-timeout', values['step-timeout'], 5000, 100, 600_000);
  if (values.runs !== undefined) {
    if (file !== undefined) throw new UsageError('mntns oracle: give either a trace file or --runs N, not both');
    const unavailable = oracleUnavailable();
    if (unavailable !== null) throw new UsageError(unavailable);
    const outcome = await oracleCampaign({
      runs: integer('oracle', 'runs', values.runs, 100, 1, 1_000_000),
      seed: integer('oracle', 'seed', values.seed, DEFAULT_SEED, 0, 2 ** 31 - 1),
      maxCommands: integer('oracle', 'max-commands', values['max-commands'], DEFAULT_MAX_COMMANDS, 1, 1000),
      failuresDir: values['failures-dir'] ?? '.mntns/oracle',
      reportDir: values['report-dir'] ?? DEFAULT_REPORT_DIR,
      stepTimeoutMs,
    });
    return outcome.code;
  }
  for (const option of ['seed', 'max-commands', 'failures-dir', 'report-dir'] as const) {
    if (values[option] !== undefined) throw new UsageError(`mntns oracle: --${option} belongs to a campaign; add --runs N, or drop it to replay ${file ?? 'a trace'}`);
  }
  if (file === undefined) throw new UsageError('mntns oracle: name a trace file (mntns oracle TRACE) or fuzz with mntns oracle --runs N');
  const events = loadEvents(file);
  const unavailable = oracleUnavailable();
  if (unavailable !== null) throw new UsageError(unavailable);
  process.stdout.write(`replaying ${file} on the model and on the kernel: ${events.length} events\n`);
  const comparison = await compareWithKernel(events, {}, { stepTimeoutMs });
  process.stdout.write(renderComparison(comparison));
  return comparison.agree ? EXIT_HELD : EXIT_VIOLATED;
}
