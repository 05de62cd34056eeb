// What the two line readers (traces/line-format.ts, traces/protocol/line-format.ts) share: an
// error about one line, which the reader turns into `file:line: message`, and whole numbers.
export class LineError extends Error {}

export function fail(message: string): never {
  throw new LineError(message);
}

/** A whole number written in decimal, or null. */
export const whole = (text: string): number | null => (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : null);
