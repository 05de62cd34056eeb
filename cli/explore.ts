// `mntns explore --depth K`: every sequence of up to K events over a finite vocabulary, breadth
// first, with every invariant after every event; ends with a completeness statement, or with a
// shortest counterexample, printed and saved to the failure database (which mntns check replays
// first). Exit 0 when every invariant held, 1 on a violation, 2 on bad usage, 130 on Ctrl-C.
import { availableParallelism } from 'node:os';
import { isSeededBugId, SEEDED_BUG_IDS } from '../model/index.js';
import type { ExploreProgress, ExploreResult, Shard } from '../properties/index.js';
import { DEFAULT_DEPTH, DEFAULT_VOCABULARY, explore, INVARIANT_NAMES, runEvents } from '../properties/index.js';
import { DEFAULT_FAILURES_DIR, failurePath, formatCall, formatStep, loadTrace, makeTrace, traceStore } from '../traces/index.js';
import { DEFAULT_REPORT_DIR, exploreReport, writeReports } from '../reports/index.js';
import { EXIT_HELD, EXIT_VIOLATED, integer, parse, UsageError } from './usage.js';

export function parseShard(command: string, text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) {
    throw new UsageError(`mntns ${command}: --shard takes i/N with 1 <= i <= N, e.g. --shard 2/4, not "${text}"`);
  }
  return { index, count };
}

function statement(result: ExploreResult): string {
  const over = `over a vocabulary of ${result.vocabularySize} events${result.bug === null ? '' : ` (seeded bug ${result.bug})`}${result.shard === null ? '' : `, shard ${result.shard.index}/${result.shard.count} (first events ${result.shard.index} mod ${result.shard.count})`}`;
  const figures = `${result.distinctStates} distinct states, ${result.transitions} transitions`;
  switch (result.stoppedBy) {
    case 'complete':
      return `all sequences of <= ${result.depth} events ${over}: ${figures}, every invariant held`;
    case 'exhausted':
      return `every state reachable ${over} was explored before depth ${result.depth}: ${figures}, every invariant held`;
    case 'violation':
      return `a shortest counterexample, ${result.counterexample?.events.length ?? 0} events, after exploring ${figures} ${over}`;
    default:
      return `INCOMPLETE (${result.stoppedBy === 'time-limit' ? 'time limit' : 'interrupted'}): all sequences of <= ${result.depthCompleted} events ${over} held; depth ${result.depthCompleted + 1} was cut short (${figures})`;
  }
}

export async function exploreCommand(args: readonly string[]): Promise<number> {
  const { values } = parse('explore', args, {
    depth: { type: 'string' },
    mutant: { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
    'time-limit': { type: 'string' },
    json: { type: 'boolean' },
    'print-vocabulary': { type: 'boolean' },
    vocabulary: { type: 'string' },
    'failures-dir': { type: 'string' },
    invariant: { type: 'string', multiple: true },
    'report-dir': { type: 'string' },
  });
  const mutant = values.mutant;
  if (mutant !== undefined && !isSeededBugId(mutant)) throw new UsageError(`mntns explore: unknown --mutant "${mutant}"; one of: ${SEEDED_BUG_IDS.join(', ')}`);
  const vocabulary = values.vocabulary === undefined ? DEFAULT_VOCABULARY : loadTrace(values.vocabulary).steps.map((recorded) => recorded.event);
  if (vocabulary.length === 0 || vocabulary.length > 65_535) throw new UsageError(`mntns explore: ${values.vocabulary}: a vocabulary has 1 to 65535 events`);
  if (values['print-vocabulary'] === true) {
    process.stdout.write(`${vocabulary.map((event) => `[pid ${event.task}] ${formatCall(event)}`).join('\n')}\n`);
    return EXIT_HELD;
  }
  const unknown = values.invariant?.find((name) => !INVARIANT_NAMES.includes(name));
  if (unknown !== undefined) throw new UsageError(`mntns explore: unknown --invariant "${unknown}"; one of: ${INVARIANT_NAMES.join(', ')}`);
  const timeLimit = integer('explore', 'time-limit', values['time-limit'], 0, 1, 86_400);
  const settings = {
    depth: integer('explore', 'depth', values.depth, DEFAULT_DEPTH, 0, 50),
    vocabulary,
    bug: mutant ?? null,
    workers: integer('explore', 'workers', values.workers, Math.max(1, availableParallelism()), 0, 256),
    shard: parseShard('explore', values.shard),
    timeLimitMs: timeLimit === 0 ? null : timeLimit * 1000,
    invariants: values.invariant ?? null,
  };
  let interrupted = false;
  const onInterrupt = (): void => {
    interrupted = true;
  };
  process.on('SIGINT', onInterrupt);
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  const onProgress = (progress: ExploreProgress): void => {
    const now = progress.elapsedMs;
    if (!tty && now - lastLine < 5000) return;
    lastLine = now;
    const rate = now === 0 ? 0 : Math.round((progress.distinctStates * 1000) / now);
    const line = `mntns explore: depth ${progress.depth}/${settings.depth}, ${progress.distinctStates} distinct states, ${progress.queued} queued, ${rate} states/s, ${(now / 1000).toFixed(1)}s`;
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  };
  let result: ExploreResult;
  try {
    result = await explore({ ...settings, onProgress, shouldStop: () => interrupted });
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    process.off('SIGINT', onInterrupt);
  }
  let savedAs: string | null = null;
  const found = result.counterexample;
  const model = settings.bug === null ? {} : { bug: settings.bug };
  const steps = found === null ? [] : runEvents(found.events, { model }).steps;
  if (found !== null) {
    savedAs = failurePath(values['failures-dir'] ?? DEFAULT_FAILURES_DIR, `${settings.bug ?? 'model'}-explore-depth${found.events.length}`, 'shrunk');
    traceStore.save(savedAs, makeTrace({ bug: settings.bug, origin: `mntns explore --depth ${settings.depth}, a shortest counterexample`, steps: steps.map((recorded, index) => ({ ...recorded, violations: index === steps.length - 1 ? found.violations : [] })) }));
  }
  const reports = writeReports(exploreReport(result, statement(result), steps, savedAs), values['report-dir'] ?? DEFAULT_REPORT_DIR);
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify({ ...result, elapsedMs: undefined, timing: { elapsedMs: result.elapsedMs }, statement: statement(result), savedAs, reports }, null, 2)}\n`);
  } else {
    const seconds = result.elapsedMs / 1000;
    const lines = [
      `mntns explore: depth ${settings.depth}, ${settings.workers} worker thread(s), ${seconds.toFixed(1)}s, ${Math.round(result.distinctStates / Math.max(seconds, 1e-3))} distinct states/s`,
      ...result.levels.map((level) => `  depth ${level.depth}: ${level.expanded} states expanded, ${level.transitions} transitions, ${level.newStates} new states`),
      `fingerprints: ${(result.visitedBytes / 1048576).toFixed(1)} MiB; probability that a collision hid a state: ${result.collisionProbability.toExponential(1)}`,
      statement(result),
      `report: ${reports.join(', ')}`,
    ];
    if (found !== null) {
      lines.push('', `VIOLATED: ${[...new Set(found.violations.map((violation) => violation.invariant))].join(', ')}`);
      for (const violation of found.violations.slice(0, 8)) lines.push(`  ${violation.invariant}: ${violation.message}`);
      steps.forEach((recorded, index) => lines.push(`  ${String(index + 1).padStart(3)}  ${formatStep(recorded.event, recorded.result)}`));
      lines.push('', `saved to ${savedAs}`, `replay it with: npx mntns replay ${savedAs}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (found !== null) return EXIT_VIOLATED;
  return result.stoppedBy === 'interrupted' ? 130 : EXIT_HELD;
}
