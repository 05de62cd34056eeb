// The public face of reports: the result record of a run and its renderings.
export type * from './record.js';
export type * from './coverage.js';
export { REPORT_FORMAT, REPORT_VERSION } from './record.js';
export { checkReport, exploreReport, mutantsReport, protocolMutantRow, oracleReport, KERNEL_AGREEMENT } from './build.js';
export type { MutantRow } from './build.js';
export { renderJson, renderDeterministicJson, parseReport, ReportError } from './json.js';
export { renderJunit } from './junit.js';
export { renderHtml } from './html/index.js';
export { renderSummary } from './summary.js';
export { mergeReports } from './merge.js';
export { writeReports, DEFAULT_REPORT_DIR } from './write.js';
export { semanticCoverage, semanticCoverageLines } from './semantic-coverage.js';
