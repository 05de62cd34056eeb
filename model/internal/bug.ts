// Exceptions are for bugs in the model only; user errors and syscall failures are values.

export class ModelBug extends Error {
  override readonly name = 'ModelBug';
}

export function unreachable(message: string): never {
  throw new ModelBug(message);
}

export function assertNever(value: never): never {
  throw new ModelBug(`unexpected value ${JSON.stringify(value)}`);
}
