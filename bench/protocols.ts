// `npm run bench` (second part): how fast the step-level protocol models run. Prints, for the
// default budget and seed, the time of each protocol's check and its steps per second (the median
// of five runs), for each seeded bug the time to find it and to shrink it, and the breadth-first
// searches: all of the correct mntput protocol, and the shortest interleaving of each seeded bug.
//
//   node dist/bench/protocols.js
import { MNTPUT_PROTOCOL, PROTOCOL_DEFAULT_BUDGET, PROTOCOL_SEEDED_BUGS, runProtocolBug, runProtocolChecks, shortestForBug, shortestViolation } from '../protocols/index.js';

const REPEATS = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const lines: string[] = [];
lines.push(`protocol models, default budget: ${PROTOCOL_DEFAULT_BUDGET.runs} interleavings of up to ${PROTOCOL_DEFAULT_BUDGET.maxSteps} steps, seed ${PROTOCOL_DEFAULT_BUDGET.seed}`);
const runs = Array.from({ length: REPEATS }, () => runProtocolChecks());
const first = runs[0] ?? [];
for (const [index, result] of first.entries()) {
  const ms = median(runs.map((run) => run[index]?.elapsedMs ?? 0));
  const perSecond = ms === 0 ? 0 : Math.round((result.events / ms) * 1000);
  lines.push(`  ${result.protocol.padEnd(18)} ${ms.toFixed(0).padStart(5)} ms  ${String(result.events).padStart(6)} steps  ${String(perSecond).padStart(7)} steps/s (every invariant after every step)`);
}
const both = median(runs.map((run) => run.reduce((sum, result) => sum + result.elapsedMs, 0)));
lines.push(`  both together      ${both.toFixed(0).padStart(5)} ms`);
lines.push('seeded bugs: time to the first failing interleaving, and in all (shrinking included)');
for (const bug of PROTOCOL_SEEDED_BUGS) {
  const started = performance.now();
  const result = runProtocolBug(bug);
  const total = performance.now() - started;
  const found = result.counterexample;
  lines.push(
    `  ${`${bug.protocol}/${bug.id}`.padEnd(48)} run ${String(found?.run ?? '-').padStart(4)}  found ${(found?.msToFind ?? 0).toFixed(0).padStart(5)} ms  total ${total.toFixed(0).padStart(5)} ms  ${found?.rawLength ?? '-'} -> ${found?.steps.length ?? '-'} steps`,
  );
}
lines.push('breadth-first search: distinct states and time');
{
  const started = performance.now();
  const { found, states } = shortestViolation(MNTPUT_PROTOCOL, {}, 1000);
  lines.push(`  mntput-fast-path, correct, every reachable state: ${states} states, ${found === null ? 'no violation' : 'VIOLATION'}, ${(performance.now() - started).toFixed(0)} ms`);
}
for (const bug of PROTOCOL_SEEDED_BUGS) {
  const started = performance.now();
  const { schedule, states } = shortestForBug(bug);
  lines.push(`  ${`${bug.protocol}/${bug.id}`.padEnd(48)} shortest ${schedule?.length ?? '-'} steps (registry ${bug.shortestSteps}), ${states} states, ${(performance.now() - started).toFixed(0)} ms`);
}
process.stdout.write(`${lines.join('\n')}\n`);
