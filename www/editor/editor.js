// The Python tab's editor: CodeMirror 6 (line numbers, Python highlighting, undo, Tab and
// Shift+Tab indenting, Ctrl/Cmd+Enter to run), and the highlighter of the read-only sources
// (Python and Rust). Bundled by scripts/build-extras.sh into dist/editor/editor.js and
// imported only once the page is up (www/python.js), so the playground's first load does
// not carry it.
import { EditorState, StateEffect, StateField } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from '@codemirror/commands';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting, HighlightStyle } from '@codemirror/language';
import { python, pythonLanguage } from '@codemirror/lang-python';
import { rustLanguage } from '@codemirror/lang-rust';
import { tags, classHighlighter, highlightCode } from '@lezer/highlight';

// Python's colours as the page's CSS variables (www/style.css), so both themes read well.
const highlight = HighlightStyle.define([
  {
    tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword],
    color: 'var(--hl-keyword)',
  },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--hl-string)' },
  { tag: tags.comment, color: 'var(--hl-comment)', fontStyle: 'italic' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--hl-number)' },
  { tag: [tags.function(tags.definition(tags.variableName)), tags.definition(tags.className)], color: 'var(--hl-def)' },
  { tag: tags.invalid, color: 'var(--bad)' },
]);

// The line a SyntaxError is on (0: none), drawn as a marked line.
const setErrorLine = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const n = effect.value;
      marks =
        n >= 1 && n <= tr.state.doc.lines
          ? Decoration.set([Decoration.line({ class: 'cm-error-line' }).range(tr.state.doc.line(n).from)])
          : Decoration.none;
    }
    // Editing the text takes the mark away: it was about the text that ran.
    return tr.docChanged ? Decoration.none : marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

// Makes an editor in `parent` holding `text`. `onChange(text)` hears every edit, `onRun()`
// Ctrl/Cmd+Enter; `label` names it for screen readers (in the page's language). Returns a
// small handle the page keeps (src/ui/components/editor.rs).
export function createEditor(parent, text, onChange, onRun, label = 'Python program') {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentOnInput(),
        bracketMatching(),
        indentUnit.of('    '),
        python(),
        syntaxHighlighting(highlight),
        errorLine,
        keymap.of([
          {
            key: 'Mod-Enter',
            run: () => {
              onRun();
              return true;
            },
          },
          { key: 'Tab', run: indentMore, shift: indentLess },
          ...defaultKeymap,
          ...historyKeymap,
        ]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
        // The page contract: the element that takes the text (Playwright's fill() works on it).
        EditorView.contentAttributes.of({ 'data-testid': 'editor', 'aria-label': label }),
        // The page's theme (www/style.css's variables), light or dark.
        EditorView.theme({
          '&': { color: 'var(--fg)', backgroundColor: 'var(--surface)' },
          '.cm-content': { caretColor: 'var(--fg)' },
          '.cm-gutters': { backgroundColor: 'var(--code)', color: 'var(--muted)', borderColor: 'var(--line)' },
          '.cm-activeLine, .cm-activeLineGutter': {
            backgroundColor: 'color-mix(in srgb, var(--accent) 10%, transparent)',
          },
        }),
      ],
    }),
  });
  // The whole text for tests and tools: the DOM holds only the lines in view.
  view.contentDOM.ppText = () => view.state.doc.toString();
  return {
    getText: () => view.state.doc.toString(),
    setText: (next) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } }),
    markLine: (line) => view.dispatch({ effects: setErrorLine.of(line) }),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

const parsers = { python: pythonLanguage.parser, rust: rustLanguage.parser };

// Fills `pre` with `text` highlighted as `language` ('python' or 'rust'): one element per
// line (CSS numbers them), tokens as spans with `tok-*` classes (www/style.css colours
// them). The text goes in as text nodes, never as HTML; the element's textContent stays
// `text` exactly. Used for the read-only sources (src/ui/components/code.rs).
export function highlightInto(pre, text, language) {
  const tree = parsers[language].parse(text);
  const lines = [];
  let line = document.createElement('span');
  line.className = 'code-line';
  const put = (piece, classes) => {
    if (!classes) {
      line.append(piece);
      return;
    }
    const span = document.createElement('span');
    span.className = classes;
    span.textContent = piece;
    line.append(span);
  };
  const breakLine = () => {
    line.append('\n');
    lines.push(line);
    line = document.createElement('span');
    line.className = 'code-line';
  };
  highlightCode(text, tree, classHighlighter, put, breakLine);
  lines.push(line);
  pre.replaceChildren(...lines);
  pre.classList.add('highlighted');
}
