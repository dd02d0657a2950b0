// Inserting and removing elements the way a person editing the file would: a new element gets
// the indentation of its siblings, a removed one takes its leading whitespace with it, so that
// add-then-remove gives back the original bytes and nothing else in the document moves.

import { elementChildren, type XElement, type XNode } from './xml-tree.js';

const isBlank = (n: XNode | undefined): n is Extract<XNode, { kind: 'text' }> => n?.kind === 'text' && n.raw.trim() === '';

/** The text after the last newline of a whitespace node, i.e. the indentation it sets up. */
function indentIn(raw: string): string | undefined {
  const nl = raw.lastIndexOf('\n');
  return nl < 0 ? undefined : raw.slice(nl + 1);
}

/** Indentation of parent's element children, found from the whitespace before one of them. */
function childIndent(parent: XElement): string | undefined {
  for (let i = 1; i < parent.children.length; i++) {
    const prev = parent.children[i - 1];
    if (parent.children[i]!.kind === 'element' && isBlank(prev)) {
      const ind = indentIn(prev.raw);
      if (ind !== undefined) return ind;
    }
  }
  return undefined;
}

/** Indentation of parent's own closing tag (the whitespace at the end of its children). */
function closingIndent(parent: XElement): string | undefined {
  const last = parent.children[parent.children.length - 1];
  return isBlank(last) ? indentIn(last.raw) : undefined;
}

export interface Layout {
  /** indentation for a new child of parent */
  indent: string;
  /** one indentation step, e.g. two spaces */
  step: string;
}

/** How to indent a new child of parent, learned from the document (two spaces by default). */
export function layoutFor(parent: XElement, ancestors: XElement[] = []): Layout {
  const own = childIndent(parent);
  const closing = closingIndent(parent);
  let step = '  ';
  if (own !== undefined && closing !== undefined && own.startsWith(closing) && own.length > closing.length) {
    step = own.slice(closing.length);
  }
  if (own !== undefined) return { indent: own, step };
  if (closing !== undefined) return { indent: closing + step, step };
  // an empty parent: one step deeper than the parent itself is indented
  return { indent: step.repeat(ancestors.length + 1), step };
}

/**
 * Adds whitespace inside a freshly built element (and its descendants) so that it prints
 * like its neighbours. Elements with only text stay on one line.
 */
export function formatNew(el: XElement, indent: string, step: string): XElement {
  if (el.children.length === 0 || el.children.every((c) => c.kind === 'text')) return el;
  const inner = indent + step;
  const children: XNode[] = [];
  for (const c of el.children) {
    children.push({ kind: 'text', raw: '\n' + inner });
    children.push(c.kind === 'element' ? formatNew(c, inner, step) : c);
  }
  children.push({ kind: 'text', raw: '\n' + indent });
  el.children = children;
  return el;
}

/**
 * Inserts child into parent right after `after` (an element of parent), or, when `after` is
 * undefined, as the first element child. The new element is indented like its siblings.
 */
export function insertChild(parent: XElement, child: XElement, after: XElement | undefined, ancestors: XElement[] = []): void {
  const { indent, step } = layoutFor(parent, ancestors);
  formatNew(child, indent, step);
  const kids = parent.children;
  if (kids.every(isBlank)) {
    // empty, or only whitespace: keep the whitespace before the closing tag as it is
    const outer = indent.endsWith(step) ? indent.slice(0, indent.length - step.length) : '';
    const closing = kids[kids.length - 1] ?? { kind: 'text', raw: '\n' + outer };
    parent.children = [{ kind: 'text', raw: '\n' + indent }, child, closing];
    return;
  }
  let at: number;
  if (after) {
    at = kids.indexOf(after) + 1;
  } else {
    // before the first element child, after the whitespace that leads to it
    const first = kids.findIndex((k) => k.kind === 'element');
    at = first < 0 ? kids.length : first;
    if (first >= 0 && isBlank(kids[first - 1])) {
      kids.splice(first, 0, child, { kind: 'text', raw: '\n' + indent });
      return;
    }
  }
  kids.splice(at, 0, { kind: 'text', raw: '\n' + indent }, child);
  // a parent that had only text (e.g. "<devices></devices>") needs a line break before its close
  if (at + 2 === kids.length && !isBlank(kids[kids.length - 1])) {
    const outer = indent.endsWith(step) ? indent.slice(0, indent.length - step.length) : '';
    kids.push({ kind: 'text', raw: '\n' + outer });
  }
}

/** Inserts child after the last existing element among `afterNames` (in that preference), else first. */
export function insertAfterLast(parent: XElement, child: XElement, afterNames: string[][], ancestors: XElement[] = []): void {
  for (const names of afterNames) {
    const candidates = elementChildren(parent).filter((e) => names.includes(e.name));
    const last = candidates[candidates.length - 1];
    if (last) return insertChild(parent, child, last, ancestors);
  }
  insertChild(parent, child, undefined, ancestors);
}

/** Removes child from parent together with the whitespace that precedes it. */
export function removeChild(parent: XElement, child: XElement): void {
  const at = parent.children.indexOf(child);
  if (at < 0) return;
  const prev = parent.children[at - 1];
  if (isBlank(prev)) parent.children.splice(at - 1, 2);
  else parent.children.splice(at, 1);
}
