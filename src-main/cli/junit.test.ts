import { describe, expect, it } from 'vitest';
import { junitXml } from './junit';

describe('junitXml', () => {
  it("gives the suite the run's wall time, not the sum of its cases' times, and each case its own", () => {
    // Two models canaried in parallel: 0.8 s and 0.6 s of calls in a run that took 1 s.
    const xml = junitXml({ name: 'fleetdeck canary run-1', timeMs: 1000 }, [
      { name: 'a/one', className: 'canary', timeMs: 800 },
      { name: 'a/two', className: 'canary', timeMs: 600, failure: '1 of 2 fixtures unanswered\nmore' },
    ]);
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<testsuite name="fleetdeck canary run-1" tests="2" failures="1" time="1.000">\n' +
        '  <testcase classname="canary" name="a/one" time="0.800"/>\n' +
        '  <testcase classname="canary" name="a/two" time="0.600">\n' +
        '    <failure message="1 of 2 fixtures unanswered">1 of 2 fixtures unanswered\nmore</failure>\n' +
        '  </testcase>\n' +
        '</testsuite>\n',
    );
  });
});
