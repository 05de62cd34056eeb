// A tiny HTML builder: elements from a tag, attributes and children, every text escaped. Raw markup
// goes in only through `raw`, which the report uses for its own constant CSS and script.
import { escapeHtml } from './escape.js';

export interface Markup {
  readonly html: string;
}

export type Child = Markup | string | number | null | undefined | false;

export const raw = (html: string): Markup => ({ html });

const render = (child: Child): string =>
  child === null || child === undefined || child === false ? '' : typeof child === 'object' ? child.html : escapeHtml(String(child));

/** Elements that have no end tag. */
const VOID = new Set(['input', 'meta', 'br', 'hr']);

/** `<tag a="v">children</tag>`; an attribute whose value is null or false is left out. */
export function element(tag: string, attributes: Readonly<Record<string, string | number | boolean | null>>, ...children: readonly Child[]): Markup {
  const attributeText = Object.entries(attributes)
    .filter(([, value]) => value !== null && value !== false)
    .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
    .join('');
  return raw(VOID.has(tag) ? `<${tag}${attributeText}>` : `<${tag}${attributeText}>${children.map(render).join('')}</${tag}>`);
}

/** The children side by side, as one piece of markup. */
export const fragment = (...children: readonly Child[]): Markup => raw(children.map(render).join(''));

/** A table with a header row; each cell escaped or markup. */
export function table(className: string, header: readonly string[], rows: readonly (readonly Child[])[]): Markup {
  return element(
    'table',
    { class: className },
    element('thead', {}, element('tr', {}, ...header.map((title) => element('th', {}, title)))),
    element('tbody', {}, ...rows.map((row) => element('tr', {}, ...row.map((cell) => element('td', {}, cell))))),
  );
}
