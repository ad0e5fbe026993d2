export { ChartFrame } from './chart-frame';
export { type ChartColors, useChartColors } from './use-chart-colors';
