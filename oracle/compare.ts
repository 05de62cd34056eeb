// Model against kernel, step by step: the same events through the model's reducer and through the
// harness, each step's result, the namespace of every live task and the normalised mount table of
// every namespace a task is in, compared in that order.
import type { Event, MntNsId, ModelOptions, Result, State, TaskId } from '../model/index.js';
import { formatResult, initialState, step } from '../model/index.js';
import type { HarnessOptions, KernelResult, KernelStep } from './harness.js';
import { runOnKernel } from './harness.js';
import type { Deviation } from './deviations.js';
import { deviationsAt } from './deviations.js';
import type { NamespaceTable } from './mount-table.js';
import { modelMounts, parseMountinfoLine, renderTables } from './mount-table.js';

/** One side's view after a step: the result, which namespace each pid is in, the mount tables. */
export interface Observation {
  readonly result: string;
  readonly namespaces: readonly string[];
  readonly tables: readonly string[];
}

export interface StepComparison {
  readonly index: number;
  readonly event: Event;
  readonly modelResult: Result;
  readonly model: Observation;
  readonly kernel: Observation | null; // null when the harness stopped before this step
  /** Empty when model and kernel agree: otherwise "result: ...", "namespaces: ...", "- line" / "+ line". */
  readonly differences: readonly string[];
  /** The deliberate deviations (oracle/deviations.ts) that explain the differences, if any apply. */
  readonly deviations: readonly Deviation[];
}

export interface Comparison {
  readonly steps: readonly StepComparison[];
  readonly fatal: string | null;
  /** Every step agrees, or differs only where a deliberate deviation applies. */
  readonly agree: boolean;
  /**
   * Wall time of the harness (spawn to exit: sandbox set-up, every syscall, reading every task's
   * namespace and mountinfo after each step, the pipe and its parsing) and of the model's step()
   * calls alone, in milliseconds.
   */
  readonly timing: { readonly kernelMs: number; readonly modelMs: number };
}

/** A difference no deliberate deviation explains. */
export const unexplained = (entry: StepComparison): boolean => entry.differences.length > 0 && entry.deviations.length === 0;

const rankLabels = <K>(keys: readonly K[], order: (a: K, b: K) => number): Map<K, number> =>
  new Map([...new Set(keys)].sort(order).map((key, index) => [key, index + 1]));

function namespaceLines(pidToLabel: ReadonlyMap<number, number>): string[] {
  return [...pidToLabel.entries()].sort((a, b) => a[0] - b[0]).map(([pid, label]) => `pid ${pid} ns#${label}`);
}

/** The model's state seen as the kernel's mountinfo would show it. */
export function observeModel(state: State, result: Result): Observation {
  const tasks = Object.values(state.tasks).sort((a, b) => a.pid - b.pid);
  const labels = rankLabels(tasks.map((task) => task.mntNs), (a, b) => a - b);
  const pidToLabel = new Map(tasks.map((task) => [task.pid as number, labels.get(task.mntNs) ?? 0]));
  const nsLabel = (ns: MntNsId): string => String(labels.get(ns) ?? '?');
  const tables: NamespaceTable[] = [...labels.entries()].map(([ns, label]) => {
    const pids = tasks.filter((task) => task.mntNs === ns).map((task) => task.pid as number);
    return { label, pids, mounts: modelMounts(state, (pids[0] ?? 0) as TaskId, nsLabel) };
  });
  return { result: formatModelResult(result), namespaces: namespaceLines(pidToLabel), tables: renderTables(tables) };
}

/** The result as both sides can show it: the errno without the model's check name. */
function formatModelResult(result: Result): string {
  return result.ok ? formatResult(result) : `-1 ${result.errno}`;
}

export function formatKernelResult(result: KernelResult): string {
  if (!result.ok) return `-1 ${result.errno}`;
  return result.fds.length === 0 ? String(result.value) : `${result.value} [${result.fds.join(', ')}]`;
}

export function observeKernel(kernel: KernelStep): Observation {
  const pids = Object.keys(kernel.nsOf).map(Number).sort((a, b) => a - b);
  const labels = rankLabels(pids.map((pid) => kernel.nsOf[pid] ?? 0), (a, b) => a - b);
  const pidToLabel = new Map(pids.map((pid) => [pid, labels.get(kernel.nsOf[pid] ?? 0) ?? 0]));
  const inumLabel = new Map<string, number>();
  for (const pid of pids) {
    const inum = /\[(\d+)\]/.exec(kernel.nsLinkOf[pid] ?? '')?.[1];
    if (inum !== undefined) inumLabel.set(inum, pidToLabel.get(pid) ?? 0);
  }
  const nsLabel = (inum: string): string => String(inumLabel.get(inum) ?? '?');
  // A reader whose root reaches no mount has no mountinfo lines: its namespace's table is empty.
  const tables: NamespaceTable[] = [...labels.values()].map((label) => {
    const members = pids.filter((pid) => pidToLabel.get(pid) === label);
    const lines = kernel.mountinfo[members[0] ?? 0] ?? [];
    return { label, pids: members, mounts: lines.map((line) => parseMountinfoLine(line.trimEnd(), nsLabel)) };
  });
  return { result: formatKernelResult(kernel.result), namespaces: namespaceLines(pidToLabel), tables: renderTables(tables) };
}

/** Line differences of two renderings: "- model line" / "+ kernel line", in order. */
function lineDiff(model: readonly string[], kernel: readonly string[]): string[] {
  const modelOnly = model.filter((line) => !kernel.includes(line)).map((line) => `- model  ${line}`);
  const kernelOnly = kernel.filter((line) => !model.includes(line)).map((line) => `+ kernel ${line}`);
  return [...modelOnly, ...kernelOnly];
}

export function differences(model: Observation, kernel: Observation): string[] {
  if (model.result !== kernel.result) return [`result: model ${model.result}, kernel ${kernel.result}`];
  const namespaces = lineDiff(model.namespaces, kernel.namespaces);
  if (namespaces.length > 0) return namespaces;
  return lineDiff(model.tables, kernel.tables);
}

/** Replay the events on the model and on the kernel and compare every step. */
export async function compareWithKernel(events: readonly Event[], opts: ModelOptions = {}, harness: HarnessOptions = {}): Promise<Comparison> {
  const kernelStart = performance.now();
  const kernel = await runOnKernel(events, harness);
  const kernelMs = performance.now() - kernelStart;
  let modelMs = 0;
  let state = initialState();
  const steps: StepComparison[] = events.map((event, index) => {
    const modelStart = performance.now();
    const outcome = step(state, event, opts);
    modelMs += performance.now() - modelStart;
    state = outcome.state;
    const model = observeModel(state, outcome.result);
    const kernelStep = kernel.steps[index];
    const observed = kernelStep === undefined ? null : observeKernel(kernelStep);
    const found = observed === null ? ['the kernel harness stopped before this step'] : differences(model, observed);
    return {
      index: index + 1,
      event,
      modelResult: outcome.result,
      model,
      kernel: observed,
      differences: found,
      deviations: found.length === 0 ? [] : deviationsAt(events.slice(0, index + 1)),
    };
  });
  const fatal = kernel.fatal ?? (kernel.steps.length < events.length ? `oracle: the harness stopped after ${kernel.steps.length} of ${events.length} steps` : null);
  return { steps, fatal, agree: fatal === null && !steps.some(unexplained), timing: { kernelMs, modelMs } };
}
