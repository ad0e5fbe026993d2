import { useMemo } from 'react';
import { useApp } from '../../state';

export interface ChartColors {
  series: [string, string, string, string];
  grid: string;
  text: string;
  muted: string;
  bad: string;
  ok: string;
  warn: string;
  band: string;
  surface: string;
  border: string;
}

const read = (styles: CSSStyleDeclaration, name: string) => styles.getPropertyValue(name).trim();

/**
 * The theme's colours as concrete values for recharts' SVG attributes (CSS variables there are
 * not reliable), re-read whenever the theme changes.
 */
export function useChartColors(): ChartColors {
  const theme = useApp((state) => state.theme);
  return useMemo(() => {
    void theme;
    const styles = getComputedStyle(document.documentElement);
    return {
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
      surface: read(styles, '--surface'),
      border: read(styles, '--border'),
    };
  }, [theme]);
}
