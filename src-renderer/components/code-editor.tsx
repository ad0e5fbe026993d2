import { json } from '@codemirror/lang-json';
import CodeMirror, { EditorView } from '@uiw/react-codemirror';
import { useMemo } from 'react';
import { useApp } from '../state';

export interface CodeEditorProps {
  value: string;
  onChange(value: string): void;
  language?: 'json' | 'text';
  label: string;
  height?: string;
  readOnly?: boolean;
  testId?: string;
}

/** CodeMirror with the app theme; loaded lazily (see lazy-code-editor) so the grid paints first. */
export default function CodeEditor({
  value,
  onChange,
  language = 'text',
  label,
  height = '220px',
  readOnly = false,
  testId,
}: CodeEditorProps) {
  const theme = useApp((state) => state.theme);
  const extensions = useMemo(
    () => [
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({ 'aria-label': label }),
      ...(language === 'json' ? [json()] : []),
    ],
    [language, label],
  );
  return (
    <div className="editor" data-editor={testId}>
      <CodeMirror
        value={value}
        onChange={onChange}
        extensions={extensions}
        theme={theme}
        height={height}
        readOnly={readOnly}
        basicSetup={{ foldGutter: false, highlightActiveLine: !readOnly }}
      />
    </div>
  );
}
