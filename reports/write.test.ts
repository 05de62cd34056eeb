import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCampaign } from '../traces/index.js';
import { checkReport } from './build.js';
import { renderHtml } from './html/index.js';
import { renderSummary } from './summary.js';
import { writeReports } from './write.js';

const settings = { seed: 11, runs: 30, timeLimitMs: null, maxCommands: 25, stats: false, saved: [], bug: null } as const;

describe('writeReports', () => {
  it('leaves four renderings of one record: JSON, JUnit, HTML and the plain-text summary, and nothing else', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mntns-reports-'));
    const report = checkReport(await runCampaign(settings), { runs: 30, shard: { index: 2, count: 3 } }, null);
    const paths = writeReports(report, dir);
    expect(paths).toEqual(['json', 'junit.xml', 'html', 'txt'].map((extension) => join(dir, `check-shard2of3.${extension}`)));
    expect(readdirSync(dir).sort()).toEqual(['check-shard2of3.html', 'check-shard2of3.json', 'check-shard2of3.junit.xml', 'check-shard2of3.txt']);
    expect(readFileSync(join(dir, 'check-shard2of3.html'), 'utf8')).toBe(renderHtml(report));
    expect(readFileSync(join(dir, 'check-shard2of3.txt'), 'utf8')).toBe(renderSummary(report));
  });
});
