// A titled braille area chart with a y axis, filling exactly width x height cells.
import { Box, Text } from 'ink';
import { chartText } from './render.js';

export interface BrailleChartProps {
  /** oldest first, newest drawn at the right; NaN is a gap */
  data: readonly number[];
  /** total width in cells, y-axis labels included */
  width: number;
  /** total height in rows: one title row ("label  now X  peak Y") plus the plot rows */
  height: number;
  /** scale top (e.g. 100 for %, the domain's memory for memory); default the peak rounded up */
  max?: number;
  /** "%", "B", "B/s", "ops/s"...: bytes get binary prefixes, others SI */
  unit: string;
  label: string;
  color?: string;
}

export function BrailleChart({ data, width, height, max, unit, label, color }: BrailleChartProps) {
  const [title, ...plot] = chartText({ data, width, height, max, unit, label });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      {plot.map((row, i) => {
        // the axis (labels and tick) stays plain; only the dots take the colour
        const cut = row.search(/[┤│]/) + 1;
        return (
          <Text key={i} wrap="truncate">
            <Text dimColor>{row.slice(0, cut)}</Text>
            <Text color={color}>{row.slice(cut)}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
