// Merging the reports of the shards of one campaign (mntns check --shard i/N, mntns explore
// --shard i/N) into one: counts add up, an invariant is violated where any shard violated it,
// every counterexample is kept, semantic coverage is the summed hit counts (code coverage, a
// per-process measure, is not merged), and the statement says whether every shard is there.
import { sumOutcomeHits } from '../properties/index.js';
import type { DeterministicPart, RunReport, Verdict } from './record.js';
import { ReportError } from './json.js';
import { semanticCoverage } from './semantic-coverage.js';

const withoutShard = (settings: DeterministicPart['settings']): string => JSON.stringify({ ...settings, shard: null });

function shardOrder(name: string): [number, number] {
  const [index, count] = name.split('/').map(Number);
  return [count ?? 0, index ?? 0];
}

export function mergeReports(reports: readonly RunReport[], files: readonly string[]): RunReport {
  const first = reports[0];
  if (first === undefined) throw new ReportError('mntns report merge: name the JSON reports of the shards to merge');
  reports.forEach((report, index) => {
    const file = files[index] ?? `report ${index + 1}`;
    if (report.deterministic.command !== first.deterministic.command) {
      throw new ReportError(`${file}: a report of mntns ${report.deterministic.command}, the others are of mntns ${first.deterministic.command}; merge shards of one campaign`);
    }
    if (withoutShard(report.deterministic.settings) !== withoutShard(first.deterministic.settings)) {
      throw new ReportError(`${file}: its settings differ from ${files[0] ?? 'the first'}'s beyond the shard; merge shards of one campaign`);
    }
  });
  const shards = [...new Set(reports.flatMap((report) => report.deterministic.shards))].sort((a, b) => {
    const [countA, indexA] = shardOrder(a);
    const [countB, indexB] = shardOrder(b);
    return countA - countB || indexA - indexB;
  });
  const count = shards.length === 0 ? 0 : (shardOrder(shards[0] as string)[0] as number);
  const missing = Array.from({ length: count }, (_unused, index) => `${index + 1}/${count}`).filter((name) => !shards.includes(name));
  const parts = reports.map((report) => report.deterministic);
  const verdicts = parts.map((part) => part.verdict);
  const verdict: Verdict = verdicts.includes('violated') ? 'violated' : verdicts.includes('incomplete') || missing.length > 0 ? 'incomplete' : 'held';
  const figures: Record<string, number> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part.figures)) {
      figures[name] = name === 'depthCompleted' ? Math.min(figures[name] ?? value, value) : (figures[name] ?? 0) + value;
    }
  }
  const features = parts.every((part) => part.features === null)
    ? null
    : parts.reduce<Record<string, number>>((sum, part) => {
        for (const [name, value] of Object.entries(part.features ?? {})) sum[name] = (sum[name] ?? 0) + value;
        return sum;
      }, {});
  const invariants = first.deterministic.invariants.map((invariant) => {
    const violations = parts.flatMap((part) => part.invariants.find((other) => other.name === invariant.name)?.violations ?? []);
    return { ...invariant, verdict: violations.length === 0 ? ('held' as const) : ('violated' as const), violations };
  });
  const counted = parts.flatMap((part) => (part.semanticCoverage === undefined || part.semanticCoverage === null ? [] : [part.semanticCoverage.reached]));
  const merged: DeterministicPart = {
    ...first.deterministic,
    verdict,
    statement: `${shards.length} shard(s) merged (${shards.join(', ')})${missing.length === 0 ? '' : `, missing ${missing.join(', ')}`}: ${parts.map((part) => part.statement).join('; ')}`,
    settings: { ...first.deterministic.settings, shard: null },
    figures,
    invariants,
    counterexamples: parts.flatMap((part) => part.counterexamples),
    seededBugs: parts.flatMap((part) => part.seededBugs),
    features,
    shards,
    semanticCoverage: counted.length === 0 ? null : semanticCoverage(sumOutcomeHits(counted)),
  };
  return {
    deterministic: merged,
    timing: {
      elapsedMs: Math.max(...reports.map((report) => report.timing.elapsedMs)),
      msToFirstCounterexample: reports.map((report) => report.timing.msToFirstCounterexample).reduce<number | null>((min, ms) => (ms === null ? min : min === null ? ms : Math.min(min, ms)), null),
    },
    host: first.host,
  };
}
