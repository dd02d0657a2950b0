// Lend the terminal to another program (the operator's editor) and take it back whole: the TUI
// stops drawing and reading keys, leaves the alternate screen with the cursor shown and raw mode
// off; afterwards it re-enters the alternate screen, Ink takes its keys again and the next frame
// is drawn in full. The ui never starts the program itself: `use` is given to it.

export interface HandoffParts {
  /** the frame writer: stop and forget what is on screen / draw everything again */
  writer: { suspend(): void; resume(): void };
  /** the full-screen state: leave / re-enter the alternate screen */
  screen: { suspend(): void; resume(): void };
  /** tell the app its keys are off (Ink then lets go of stdin and raw mode) or on again */
  setInput(active: boolean): void;
  /** true once nothing in this process reads the terminal any more */
  inputReleased(): boolean;
  /** how long to wait for Ink to let go of stdin (ms, default 500) */
  releaseTimeoutMs?: number;
}

export interface TerminalHandoff {
  /** run `use` while the terminal is lent; one at a time */
  lend<T>(use: () => Promise<T>): Promise<T>;
  readonly lent: boolean;
}

const tick = () => new Promise<void>((r) => setTimeout(r, 5));

export function createTerminalHandoff(p: HandoffParts): TerminalHandoff {
  let lent = false;
  return {
    get lent() {
      return lent;
    },
    async lend(use) {
      if (lent) throw new Error('the terminal is already lent');
      lent = true;
      p.writer.suspend();
      p.setInput(false);
      // Ink detaches its stdin reader in an effect after the re-render; keys typed into the
      // editor must not be read by this process meanwhile
      const until = Date.now() + (p.releaseTimeoutMs ?? 500);
      while (!p.inputReleased() && Date.now() < until) await tick();
      p.screen.suspend();
      try {
        return await use();
      } finally {
        p.screen.resume();
        p.setInput(true);
        p.writer.resume();
        lent = false;
      }
    },
  };
}
