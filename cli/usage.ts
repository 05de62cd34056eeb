// Command-line errors: one line naming what is wrong and how to fix it, exit status 2.
import { parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_HELD = 0;
export const EXIT_VIOLATED = 1;
export const EXIT_USAGE = 2;

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** node:util parseArgs in strict mode, its errors turned into one-line usage errors. */
export function parse<T extends Options>(command: string, args: readonly string[], options: T, positionals = 0) {
  try {
    const parsed = parseArgs({ args: [...args], options: options as NonNullable<T>, strict: true, allowPositionals: positionals > 0 });
    if (parsed.positionals.length > positionals) {
      throw new UsageError(`mntns ${command}: unexpected argument "${parsed.positionals[positionals]}"; see mntns help`);
    }
    return parsed;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const message = (error as Error).message.split('\n')[0]?.replace(/\. To specify.*$/, '') ?? 'bad arguments';
    throw new UsageError(`mntns ${command}: ${message}; see mntns help`);
  }
}

/** A whole number option within bounds. */
export function integer(command: string, name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^-?[0-9]+$/.test(value)) throw new UsageError(`mntns ${command}: --${name} takes a whole number, not "${value}"`);
  const number = Number(value);
  if (number < min || number > max) throw new UsageError(`mntns ${command}: --${name} must be between ${min} and ${max}, not ${value}`);
  return number;
}
