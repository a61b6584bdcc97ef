// A plain textarea over a mirror of the same text in which ranges are marked (the issues, the
// selected node): the textarea keeps native editing, selection and undo; the mirror behind it,
// scrolled with it, paints the marks.
import { forwardRef, useImperativeHandle, useRef, type ReactNode } from 'react';

export interface Mark { offset: number; length: number; className: string }

export interface CodeTextHandle {
  /** Puts the caret at `offset`, focuses the text and scrolls the line into view. */
  reveal(offset: number): void;
  /** Selects `length` characters from `offset`, focused and scrolled into view. */
  select(offset: number, length: number): void;
}

function painted(text: string, marks: readonly Mark[]): ReactNode[] {
  const cuts = new Set([0, text.length]);
  for (const m of marks) {
    cuts.add(Math.max(0, Math.min(text.length, m.offset)));
    cuts.add(Math.max(0, Math.min(text.length, m.offset + m.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: ReactNode[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    const classes = marks.filter((m) => m.offset <= a && m.offset + m.length >= b).map((m) => m.className);
    const piece = text.slice(a, b);
    out.push(classes.length ? <mark key={a} className={[...new Set(classes)].join(' ')}>{piece}</mark> : piece);
  }
  return out;
}

export const CodeText = forwardRef<CodeTextHandle, {
  value: string; onChange: (text: string) => void; onCaret: (offset: number) => void; marks: readonly Mark[];
  label: string; readOnly?: boolean; onKeyDown?: (e: React.KeyboardEvent<HTMLTextAreaElement>) => void;
}>(function CodeText({ value, onChange, onCaret, marks, label, readOnly, onKeyDown }, ref) {
  const area = useRef<HTMLTextAreaElement>(null);
  const mirror = useRef<HTMLPreElement>(null);
  const sync = () => {
    if (area.current && mirror.current) {
      mirror.current.scrollTop = area.current.scrollTop;
      mirror.current.scrollLeft = area.current.scrollLeft;
    }
  };
  const scrollTo = (offset: number) => {
    const ta = area.current;
    if (!ta) return;
    const line = ta.value.slice(0, offset).split('\n').length;
    const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
    ta.scrollTop = Math.max(0, (line - 4) * lineHeight);
    sync();
  };
  useImperativeHandle(ref, () => ({
    reveal(offset) {
      const ta = area.current;
      if (!ta) return;
      ta.focus({ preventScroll: true });
      ta.setSelectionRange(offset, offset);
      scrollTo(offset);
    },
    select(offset, length) {
      const ta = area.current;
      if (!ta) return;
      ta.focus({ preventScroll: true });
      ta.setSelectionRange(offset, offset + length);
      scrollTo(offset);
    },
  }));
  const caret = () => { if (area.current) onCaret(area.current.selectionStart); };
  return (
    <div className="admin-code">
      <pre ref={mirror} aria-hidden="true" className="admin-code-mirror">{painted(value, marks)}{' '}</pre>
      <textarea ref={area} aria-label={label} data-testid="flow-text" spellCheck={false} autoCapitalize="off" autoComplete="off" wrap="off"
        readOnly={readOnly} value={value} onChange={(e) => onChange(e.target.value)} onScroll={sync} onSelect={caret} onClick={caret} onKeyUp={caret} onKeyDown={onKeyDown} />
    </div>
  );
});
