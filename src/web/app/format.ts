/**
 * Small text formats of the page, and `el()`, which builds DOM nodes with text content only:
 * peer-supplied strings (evidence, reasons) are never parsed as HTML.
 */

/** Characters of a peer id shown (unique in any devnet). */
const SHORT_ID_CHARS = 14;

export function shortId(id: string): string {
  return id.length > SHORT_ID_CHARS ? `${id.slice(0, SHORT_ID_CHARS)}…` : id;
}

export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}

export function score(value: number | null): string {
  return value === null ? '-' : value.toFixed(2).replace(/\.?0+$/, '') || '0';
}

/** `12s ago`, `in 40s`, `3m ago`. */
export function relative(at: number, now = Date.now()): string {
  const delta = at - now;
  const abs = Math.abs(delta);
  const text =
    abs < 60_000
      ? `${Math.round(abs / 1000)}s`
      : abs < 3_600_000
        ? `${Math.round(abs / 60_000)}m`
        : `${(abs / 3_600_000).toFixed(1)}h`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
}

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour12: false });
}

type Child = Node | string | null | undefined | false;

/** `el('td', { class: 'x' }, 'text', other)`: an element with attributes and text/element children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}
