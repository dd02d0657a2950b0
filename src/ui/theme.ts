// Colours and state symbols. Every state has a symbol as well as a colour, so the list reads
// the same with NO_COLOR (https://no-color.org) or on a monochrome terminal.
import { createContext, useContext } from 'react';
import type { DomainState } from '../driver/driver.js';

export interface Theme {
  /** false under NO_COLOR: no colour attributes at all (bold, dim and inverse stay) */
  color: boolean;
}

export function themeFromEnv(env: NodeJS.ProcessEnv = process.env): Theme {
  return { color: !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') };
}

export const ThemeContext = createContext<Theme>({ color: true });

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** A colour name for Ink, or undefined when colours are off. */
export function tint(theme: Theme, color: string | undefined): string | undefined {
  return theme.color ? color : undefined;
}

export interface StateLook {
  symbol: string;
  color: string;
}

const STATE_LOOK: Record<DomainState, StateLook> = {
  running: { symbol: '▶', color: 'green' },
  paused: { symbol: '‖', color: 'yellow' },
  shutoff: { symbol: '■', color: 'gray' },
  crashed: { symbol: '✖', color: 'red' },
  pmsuspended: { symbol: '☾', color: 'blue' },
  starting: { symbol: '↑', color: 'cyan' },
  'shutting down': { symbol: '↓', color: 'magenta' },
};

export function stateLook(state: DomainState): StateLook {
  return STATE_LOOK[state];
}

export const COLORS = {
  accent: 'cyan',
  error: 'red',
  info: 'green',
  warn: 'yellow',
  muted: 'gray',
} as const;
