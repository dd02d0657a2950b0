// One row of the console pane: spans of safe text with the emulator's colours and attributes,
// drawn by Ink. The text already passed safeText(); it is filtered again here because this is
// the last step before the operator's terminal.
import { Text } from 'ink';
import { safeText, type ConsoleLine } from '../../console/index.js';
import { tint, useTheme } from '../theme.js';

export interface ConsoleLineViewProps {
  line: ConsoleLine;
  /** draw the cursor cell (the pane has focus) */
  showCursor: boolean;
}

export function ConsoleLineView({ line, showCursor }: ConsoleLineViewProps) {
  const theme = useTheme();
  if (line.length === 0) return <Text> </Text>;
  return (
    <Text wrap="truncate">
      {line.map((span, i) => {
        const text = safeText(span.text);
        if (span.match) {
          return (
            <Text key={i} color={tint(theme, 'black')} backgroundColor={tint(theme, 'yellow')} inverse={!theme.color}>
              {text}
            </Text>
          );
        }
        const cursor = span.cursor && showCursor;
        return (
          <Text
            key={i}
            color={tint(theme, span.fg)}
            backgroundColor={tint(theme, span.bg)}
            bold={span.bold}
            dimColor={span.dim}
            italic={span.italic}
            underline={span.underline}
            strikethrough={span.strikethrough}
            inverse={Boolean(span.inverse) !== Boolean(cursor)}
          >
            {text}
          </Text>
        );
      })}
    </Text>
  );
}
