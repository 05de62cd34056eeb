// Which model a trace was recorded against, read off its header before the rest is parsed: the
// profile line of the line format (`profile protocol nsfs-stash`), the "profile" of the JSON form.
import { PROFILE_PREFIX } from '../protocols/index.js';
import type { JsonDocument } from './json-text.js';
import { JsonSyntaxError, parseJson } from './json-text.js';

export const isJsonPath = (path: string): boolean => path.toLowerCase().endsWith('.json');

/** The profile of a line-format trace, or null when it gives none before its first event. */
export function lineProfile(text: string): string | null {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) return null;
    const profile = /^profile\s+(.*)$/.exec(line)?.[1];
    if (profile !== undefined) return profile.trim();
  }
  return null;
}

/** The parsed document and its profile, or null where the text is not JSON (its reader says why). */
export function jsonProfile(text: string): { readonly document: JsonDocument; readonly profile: string | null } | null {
  try {
    const document = parseJson(text);
    const top = document.value;
    const profile = typeof top === 'object' && top !== null && !Array.isArray(top) && typeof top.profile === 'string' ? top.profile : null;
    return { document, profile };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return null;
    throw error;
  }
}

export const isProtocolProfile = (profile: string | null): boolean => profile !== null && profile.startsWith(PROFILE_PREFIX);

/** The profile of a trace's text, whichever its form. */
export const profileOf = (text: string, path: string): string | null => (isJsonPath(path) ? (jsonProfile(text)?.profile ?? null) : lineProfile(text));
