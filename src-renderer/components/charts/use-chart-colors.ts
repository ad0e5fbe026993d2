import { useMemo } from 'react';
import { useApp } from '../../state';
import type { Theme } from '../../state/ui-slice';

export interface ChartColors {
  series: [string, string, string, string];
  grid: string;
  text: string;
  muted: string;
  bad: string;
  ok: string;
  warn: string;
  band: string;
  /** The hover band behind a bar under the pointer. */
  cursor: string;
  surface: string;
  border: string;
}

const read = (styles: CSSStyleDeclaration, name: string) => styles.getPropertyValue(name).trim();

/**
 * Reads the theme's variables from a hidden element carrying that theme: during the render that
 * switches themes the root element still carries the old one (App sets it in an effect), so
 * reading from it would draw the charts in the previous theme's colours.
 */
function readColors(theme: Theme): ChartColors {
  const probe = document.createElement('div');
  probe.dataset.theme = theme;
  probe.hidden = true;
  document.body.append(probe);
  const styles = getComputedStyle(probe);
  const colors: ChartColors = {
    series: [
      read(styles, '--chart-1'),
      read(styles, '--chart-2'),
      read(styles, '--chart-3'),
      read(styles, '--chart-4'),
    ],
    grid: read(styles, '--chart-grid'),
    text: read(styles, '--text'),
    muted: read(styles, '--text-muted'),
    bad: read(styles, '--bad'),
    ok: read(styles, '--ok'),
    warn: read(styles, '--warn'),
    band: read(styles, '--chart-band'),
    cursor: read(styles, '--chart-cursor'),
    surface: read(styles, '--surface'),
    border: read(styles, '--border'),
  };
  probe.remove();
  return colors;
}

/** The theme's colours as concrete values for recharts' SVG attributes (CSS variables there are not reliable). */
export function useChartColors(): ChartColors {
  const theme = useApp((state) => state.theme);
  return useMemo(() => readColors(theme), [theme]);
}
