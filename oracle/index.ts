// The real Linux kernel as oracle: the harness (oracle/harness.c), the commands it takes, the
// normalised mount tables and the step-by-step comparison with the model.
export { oracleUnavailable, runOnKernel, HARNESS_PATH, errnoName } from './harness.js';
export type { KernelRun, KernelStep, KernelResult, HarnessOptions } from './harness.js';
export { harnessCommand } from './commands.js';
export { compareWithKernel, observeModel, observeKernel, differences, unexplained } from './compare.js';
export { DEVIATIONS, deviationsAt } from './deviations.js';
export type { Deviation } from './deviations.js';
export type { Comparison, StepComparison, Observation } from './compare.js';
export { renderTables, parseMountinfoLine, modelMounts, pathFrom } from './mount-table.js';
export { campaignEvents, shrinkDisagreement } from './fuzz.js';
export type { Compare, Shrunk } from './fuzz.js';
export { runOracleCampaign } from './campaign.js';
export type { FoundDisagreement, OracleCampaignResult, OracleCampaignSettings } from './campaign.js';
export { disagreementKind, tallyCounter } from './tally.js';
export type { CampaignTally, DeviationTally, KindTally, OutcomeTally, SyscallTally, TallyCounter } from './tally.js';
export { exportC, expectedLine } from './export-c.js';
