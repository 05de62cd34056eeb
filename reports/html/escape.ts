// Escaping for the HTML report. Every string that comes from a run (paths in traces, violation
// messages, settings) passes through one of these before it reaches the page: text and attribute
// values through escapeHtml, the per-step data through scriptJson, which no `</script>` in a path
// can close early.

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe inside an element or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` as \u escapes (so neither
 * `</script>` nor `<!--` can appear), and U+2028/U+2029, which some parsers take as line ends.
 */
export const scriptJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
