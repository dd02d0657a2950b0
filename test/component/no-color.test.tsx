import chalk from 'chalk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { themeFromEnv } from '../../src/ui/theme.js';
import { renderApp, type Harness } from './harness.js';

let h: Harness | undefined;
let level: typeof chalk.level;
beforeEach(() => {
  level = chalk.level;
  chalk.level = 3; // as on a colour terminal
});
afterEach(() => {
  h?.unmount();
  chalk.level = level;
});

// SGR foreground/background colour parameters: 30-37, 38;..., 40-47, 48;..., 90-97, 100-107
const COLOUR = /\x1b\[(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/;

describe('NO_COLOR', () => {
  it('reads the environment', () => {
    expect(themeFromEnv({ NO_COLOR: '1' }).color).toBe(false);
    expect(themeFromEnv({ NO_COLOR: '' }).color).toBe(true);
    expect(themeFromEnv({}).color).toBe(true);
  });

  it('draws no colour at all, while states keep their symbols', async () => {
    const domains = [{ name: 'web1', state: 'running' as const }, { name: 'db1' }];
    h = await renderApp(domains, { theme: { color: true } });
    expect(h.frame()).toMatch(COLOUR);
    h.unmount();
    h = await renderApp(domains, { theme: { color: false } });
    const f = h.frame();
    expect(f).not.toMatch(COLOUR);
    expect(f).toContain('▶ running');
    expect(f).toContain('■ shutoff');
    // the selection still shows (inverse is not a colour)
    expect(f).toContain('\x1b[7m');
  });
});
