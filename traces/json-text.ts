// A JSON reader that knows where things are: JSON.parse names no line for most mistakes and none
// at all for a value of the wrong type, so the JSON form of a trace is read by this small
// recursive-descent parser (RFC 8259), which records the line each object and array starts on.
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface JsonDocument {
  readonly value: JsonValue;
  /** The 1-based line an object or array of the document starts on. */
  lineOf(node: object): number;
}

/** A syntax mistake at a line. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 64;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERALS: readonly (readonly [string, JsonValue])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];

export function parseJson(text: string): JsonDocument {
  const lines = new WeakMap<object, number>();
  let index = 0;
  let line = 1;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(line, what);
  };
  const describe = (): string => (index >= text.length ? 'the end of the file' : JSON.stringify(text.slice(index, index + 12)));

  function skipBlanks(): void {
    while (index < text.length) {
      const char = text[index];
      if (char === '\n') line++;
      else if (char !== ' ' && char !== '\t' && char !== '\r') return;
      index++;
    }
  }

  function expect(char: string, what: string): void {
    skipBlanks();
    if (text[index] !== char) fail(`expected ${what}, found ${describe()}`);
    index++;
  }

  function readString(): string {
    STRING.lastIndex = index;
    const match = STRING.exec(text);
    if (match === null) {
      if (!text.slice(index + 1).includes('"')) return fail('a string has no closing quote');
      return fail(`bad string at ${describe()} (a raw line break, a control character or a bad escape)`);
    }
    index += match[0].length;
    return JSON.parse(match[0]) as string;
  }

  function readValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) fail(`values nested deeper than ${MAX_DEPTH} levels`);
    skipBlanks();
    const char = text[index];
    if (char === '{') return readObject(depth);
    if (char === '[') return readArray(depth);
    if (char === '"') return readString();
    for (const [word, value] of LITERALS) {
      if (text.startsWith(word, index)) {
        index += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = index;
    const number = NUMBER.exec(text);
    if (number === null) return fail(`expected a value, found ${describe()}`);
    index += number[0].length;
    return Number(number[0]);
  }

  function readObject(depth: number): JsonValue {
    const object: { [key: string]: JsonValue } = {};
    lines.set(object, line);
    index++;
    skipBlanks();
    if (text[index] === '}') {
      index++;
      return object;
    }
    for (;;) {
      skipBlanks();
      if (text[index] !== '"') fail(`expected a key in double quotes, found ${describe()}`);
      const key = readString();
      if (Object.prototype.hasOwnProperty.call(object, key)) fail(`key ${JSON.stringify(key)} given twice in one object`);
      expect(':', `":" after the key ${JSON.stringify(key)}`);
      const value = readValue(depth + 1);
      // A key named "__proto__" is an ordinary key, not the prototype.
      if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      skipBlanks();
      if (text[index] === ',') {
        index++;
        continue;
      }
      expect('}', '"," or "}" after a value in an object');
      return object;
    }
  }

  function readArray(depth: number): JsonValue {
    const array: JsonValue[] = [];
    lines.set(array, line);
    index++;
    skipBlanks();
    if (text[index] === ']') {
      index++;
      return array;
    }
    for (;;) {
      array.push(readValue(depth + 1));
      skipBlanks();
      if (text[index] === ',') {
        index++;
        continue;
      }
      expect(']', '"," or "]" after a value in a list');
      return array;
    }
  }

  const value = readValue(0);
  skipBlanks();
  if (index < text.length) fail(`unexpected ${describe()} after the end of the document`);
  return { value, lineOf: (node) => lines.get(node) ?? 1 };
}
