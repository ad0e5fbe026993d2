export interface JunitCase {
  name: string;
  className: string;
  timeMs: number;
  failure?: string | undefined;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface JunitSuite {
  name: string;
  /** How long the run took, wall clock: with cases run in parallel, not the sum of their times. */
  timeMs: number;
}

/** A JUnit XML report: one test suite, one case per model (or per check). */
export function junitXml(suite: JunitSuite, cases: readonly JunitCase[]): string {
  const failures = cases.filter((entry) => entry.failure !== undefined).length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const body = cases
    .map((entry) => {
      const open = `  <testcase classname="${escapeXml(entry.className)}" name="${escapeXml(entry.name)}" time="${seconds(entry.timeMs)}"`;
      return entry.failure === undefined
        ? `${open}/>`
        : `${open}>\n    <failure message="${escapeXml(entry.failure.split('\n')[0] ?? '')}">${escapeXml(entry.failure)}</failure>\n  </testcase>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${escapeXml(suite.name)}" tests="${cases.length}" failures="${failures}" time="${seconds(suite.timeMs)}">\n${body}\n</testsuite>\n`;
}
