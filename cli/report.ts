// `mntns report merge FILE...`: one report from the JSON reports of the shards of a campaign.
import { readFileSync } from 'node:fs';
import { mergeReports, parseReport, ReportError, writeReports } from '../reports/index.js';
import { EXIT_HELD, EXIT_VIOLATED, parse, UsageError } from './usage.js';

export function reportCommand(args: readonly string[]): number {
  const [action, ...rest] = args;
  if (action !== 'merge') throw new UsageError(`mntns report: say merge FILE..., not "${action ?? ''}"`);
  const { values, positionals } = parse('report merge', rest, { out: { type: 'string' } }, 1000);
  if (positionals.length === 0) throw new UsageError('mntns report merge: name the JSON reports of the shards, e.g. mntns report merge shard-*/check-shard*.json');
  const reports = positionals.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ReportError(`${file}: cannot read the report; check the path`);
    }
    return parseReport(text, file);
  });
  const merged = mergeReports(reports, positionals);
  const paths = writeReports(merged, values.out ?? 'reports/out', `${merged.deterministic.command}-merged`);
  process.stdout.write(`${merged.deterministic.statement}\nverdict: ${merged.deterministic.verdict}\nreport: ${paths.join(', ')}\n`);
  return merged.deterministic.verdict === 'violated' ? EXIT_VIOLATED : EXIT_HELD;
}
