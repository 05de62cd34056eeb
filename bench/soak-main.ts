// `npm run soak`: a 10-minute `mntns check` with resident memory and heap at the start, every
// minute and the end (soak.ts). The check's own summary comes first, then the soak's figures.
//
//   node --expose-gc dist/bench/soak-main.js [--seconds S] [--every S]
//
// --seconds is the check's --time-limit (default 600); --every the sampling interval (default 60).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkCommand } from '../cli/check.js';
import { parseArgs } from 'node:util';
import { runEntry, UsageError } from './entry.js';
import { DEFAULT_SAMPLE_SECONDS, DEFAULT_SOAK_SECONDS, renderSoak, runSoak } from './soak.js';



function seconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > 86_400) throw new UsageError(`npm run soak: --${name} takes whole seconds from 1 to 86400, not "${text}"`);
  return Number(text);
}

async function main(args: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { seconds: { type: 'string' }, every: { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new UsageError(`npm run soak: ${(error as Error).message.split('\n')[0] ?? 'bad arguments'}; it takes --seconds S and --every S`);
  }
  const limit = seconds('seconds', values.seconds, DEFAULT_SOAK_SECONDS);
  const every = seconds('every', values.every, DEFAULT_SAMPLE_SECONDS);
  const dir = mkdtempSync(join(tmpdir(), 'mntns-soak-'));
  try {
    const result = await runSoak({ seconds: limit, sampleEveryMs: every * 1000, dir, check: checkCommand });
    process.stdout.write(renderSoak(result));
    return result.exitCode;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runEntry(main);
