// The JSON rendering of a result record, and reading one back (for mntns report merge). The
// deterministic part comes first and is printed with a fixed key order, so two runs with the same
// settings print it byte for byte the same.
import type { RunReport } from './record.js';
import { REPORT_FORMAT, REPORT_VERSION } from './record.js';

/** Objects with their keys sorted, recursively: one spelling per value. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function renderJson(report: RunReport): string {
  const code = report.codeCoverage === undefined || report.codeCoverage === null ? {} : { codeCoverage: report.codeCoverage };
  return `${JSON.stringify({ deterministic: sorted(report.deterministic), timing: report.timing, host: report.host, ...code }, null, 2)}\n`;
}

/** The deterministic part alone: what a test of byte-identity compares. */
export function renderDeterministicJson(report: RunReport): string {
  return `${JSON.stringify(sorted(report.deterministic), null, 2)}\n`;
}

/** A user error in a report file: one line naming the file and the fix. */
export class ReportError extends Error {
  override readonly name = 'ReportError';
}

export function parseReport(text: string, file: string): RunReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportError(`${file}: not a JSON report (${(error as Error).message}); give files written by --report-dir or --json`);
  }
  const report = data as Partial<RunReport>;
  const part = report.deterministic as Partial<RunReport['deterministic']> | undefined;
  if (part?.format !== REPORT_FORMAT) throw new ReportError(`${file}: not an mntns report (no "format": "${REPORT_FORMAT}"); give files written by --report-dir`);
  if (typeof part.version !== 'number' || part.version > REPORT_VERSION) {
    throw new ReportError(`${file}: report version ${String(part.version)} is newer than this mntns reads (${REPORT_VERSION}); upgrade mntns`);
  }
  return report as RunReport;
}
