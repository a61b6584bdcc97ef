// A flow document as the text the admin types: parse errors with their place, and the place in
// the text of a JSON Pointer (RFC 6901) the server names, through jsonc-parser's syntax tree.
import { applyEdits, findNodeAtLocation, getLocation, modify, parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export interface TextRange { offset: number; length: number }
export interface TextProblem extends TextRange { message: string }

const STRICT = { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false } as const;

/** The document, or the syntax errors that stop it being one. */
export function parseFlowText(text: string): { ok: true; value: unknown } | { ok: false; problems: TextProblem[] } {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, STRICT);
  if (errors.length === 0) return { ok: true, value };
  return { ok: false, problems: errors.map((e) => ({ offset: e.offset, length: Math.max(1, e.length), message: printParseErrorCode(e.error) })) };
}

/** RFC 6901 §4: the reference tokens of a pointer, `~1` and `~0` decoded. */
export function pointerTokens(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The flow node a pointer is inside (`/nodes/<id>/…`), if any. */
export function nodeOfPointer(pointer: string): string | undefined {
  const [first, id] = pointerTokens(pointer);
  return first === 'nodes' ? id : undefined;
}

function treePath(root: Node, tokens: string[]): (string | number)[] {
  const path: (string | number)[] = [];
  let node: Node | undefined = root;
  for (const token of tokens) {
    path.push(node?.type === 'array' && /^\d+$/.test(token) ? Number(token) : token);
    node = node ? findNodeAtLocation(root, path) : undefined;
  }
  return path;
}

/**
 * Where a pointer's value is in the text: the whole `"key": value` member for an object member;
 * for a value that is not there (a missing required field), the nearest enclosing value that is.
 */
export function rangeOfPointer(text: string, pointer: string): TextRange | undefined {
  const root = parseTree(text);
  if (!root) return undefined;
  const path = treePath(root, pointerTokens(pointer));
  for (let n = path.length; n >= 0; n--) {
    const found = findNodeAtLocation(root, path.slice(0, n));
    if (!found) continue;
    const span = found.parent?.type === 'property' && n > 0 ? found.parent : found;
    return { offset: span.offset, length: span.length };
  }
  return undefined;
}

/** The flow node whose text holds `offset`, if any. */
export function nodeAtOffset(text: string, offset: number): string | undefined {
  const { path } = getLocation(text, offset);
  return path[0] === 'nodes' && typeof path[1] === 'string' && path[1] !== '' ? path[1] : undefined;
}

/** 1-based line and column of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } } as const;

/** The text with `value` set at `path`: the enclosing object is re-indented, the rest of the text is untouched. */
export function setInText(text: string, path: (string | number)[], value: unknown): string {
  return applyEdits(text, modify(text, path, value, FORMAT));
}
