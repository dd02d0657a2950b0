// One terminal row made of styled segments. Screens build rows as data and render them with
// <Line>, so every screen is exactly as tall as it is given and never wraps.
import { Text } from 'ink';
import { tint, useTheme } from '../theme.js';

export interface Segment {
  text: string;
  color?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export function Line({ segments, width, inverse }: { segments: Segment[]; width: number; inverse?: boolean }) {
  const theme = useTheme();
  let used = 0;
  const parts: Segment[] = [];
  for (const seg of segments) {
    if (used >= width) break;
    const chars = [...seg.text];
    const take = chars.slice(0, width - used).join('');
    used += Math.min(chars.length, width - used);
    parts.push({ ...seg, text: take });
  }
  // a highlighted row is highlighted to the right edge
  if (inverse && used < width) parts.push({ text: ' '.repeat(width - used) });
  return (
    <Text wrap="truncate" inverse={inverse}>
      {used === 0
        ? ' '
        : parts.map((p, i) => (
            // a highlighted row is one plain bar: segment colours would turn into patches
            <Text key={i} color={inverse ? undefined : tint(theme, p.color)} bold={p.bold} dimColor={p.dim && !inverse} inverse={p.inverse}>
              {p.text}
            </Text>
          ))}
    </Text>
  );
}

/** Plain text row. */
export function TextLine({ text, width, color, bold, dim }: { text: string; width: number } & Omit<Segment, 'text'>) {
  return <Line width={width} segments={[{ text, color, bold, dim }]} />;
}
