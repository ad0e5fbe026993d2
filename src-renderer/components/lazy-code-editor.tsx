import { lazy, Suspense } from 'react';
import type { CodeEditorProps } from './code-editor';

const CodeEditorImpl = lazy(() => import('./code-editor'));

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense
      fallback={
        <div className="editor muted small" style={{ height: props.height ?? '220px', padding: 8 }}>
          Loading editor…
        </div>
      }
    >
      <CodeEditorImpl {...props} />
    </Suspense>
  );
}
