export interface JunitCase {
  name: string;
  className: string;
  timeMs: number;
  failure?: string | undefined;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A JUnit XML report: one test suite, one case per model (or per check). */
export function junitXml(suite: string, cases: readonly JunitCase[]): string {
  const failures = cases.filter((entry) => entry.failure !== undefined).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const body = cases
    .map((entry) => {
      const open = `  <testcase classname="${escape(entry.className)}" name="${escape(entry.name)}" time="${seconds(entry.timeMs)}"`;
      return entry.failure === undefined
        ? `${open}/>`
        : `${open}>\n    <failure message="${escape(entry.failure.split('\n')[0] ?? '')}">${escape(entry.failure)}</failure>\n  </testcase>`;
    })
    .join('\n');
  const total = cases.reduce((sum, entry) => sum + entry.timeMs, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${escape(suite)}" tests="${cases.length}" failures="${failures}" time="${seconds(total)}">\n${body}\n</testsuite>\n`;
}
