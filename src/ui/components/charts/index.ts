// Chart components and their pure renderers.
export { Sparkline, type SparklineProps } from './sparkline.js';
export { BrailleChart, type BrailleChartProps } from './braille-chart.js';
export { sparklineRow, brailleRows, chartText, scaleMax, peakOf, currentOf, BLOCKS } from './render.js';
export { formatValue, formatAxis, niceCeil, isByteUnit } from './format.js';
export { hostSummaryText } from './host-summary.js';
