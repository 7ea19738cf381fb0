import { errorSentence } from './words.ts';

/** A tiny element builder: text goes in as text nodes, never as HTML, so data cannot inject markup. */
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children)
    if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'number' ? String(c) : c);
  return el;
}

/**
 * A table with a caption, column headers (scope=col) and rows. Each cell carries its column's name
 * (`data-label`): on a phone the rows stack as cards that show it, so no column is off-screen.
 */
export function table(
  caption: string,
  header: readonly string[],
  rows: readonly (readonly Child[])[],
): HTMLTableElement {
  return h(
    'table',
    { class: 'cards' },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...header.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((r) => h('tr', {}, ...r.map((c, i) => h('td', { 'data-label': header[i] ?? '' }, c)))),
    ),
  );
}

/**
 * Every sideways-scrolling wrapper of a table (`div.scroll`) under `root` becomes a focusable, named
 * region, so a keyboard can scroll it too (axe: scrollable-region-focusable).
 */
export function labelScrollers(root: ParentNode): void {
  for (const d of root.querySelectorAll<HTMLElement>('div.scroll:not([tabindex])')) {
    d.tabIndex = 0;
    d.setAttribute('role', 'region');
    d.setAttribute('aria-label', d.querySelector('caption')?.textContent ?? '');
  }
}

/** A labelled form field. */
export function field(
  label: string,
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), input);
}

export const status = (text: string, kind: 'info' | 'error' = 'info'): HTMLElement =>
  h('p', { class: `status ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);

/** An error as the page shows it: a sentence the person can act on, in their language (words.ts). */
export const failure = (err: unknown, _fallback?: string): HTMLElement => status(errorSentence(err), 'error');

/** A page section named by its heading. */
export const section = (id: string, title: string, ...children: Child[]): HTMLElement =>
  h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...children);

/** A form that runs `run` instead of reloading the page: its fields, then its submit button. */
export const queryForm = (run: () => void, submit: string, ...fields: Child[]): HTMLFormElement =>
  h(
    'form',
    {
      onsubmit: (e: Event) => {
        e.preventDefault();
        run();
      },
    },
    ...fields,
    h('button', { type: 'submit' }, submit),
  );
