// A one-row CPU (or any) trend in block characters, exactly `width` cells wide.
import { Text } from 'ink';
import { sparklineRow } from './render.js';

export interface SparklineProps {
  /** oldest first; NaN is a gap */
  data: readonly number[];
  width: number;
  /** scale top; default the largest value shown (e.g. pass 100 for a percentage) */
  max?: number;
  color?: string;
}

export function Sparkline({ data, width, max, color }: SparklineProps) {
  return (
    <Text color={color} wrap="truncate">
      {sparklineRow(data, width, max)}
    </Text>
  );
}
