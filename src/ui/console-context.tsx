// The open serial consoles reach the UI through context: run-tui makes the registry (in
// console/, which owns the sockets); tests hand in a fake.
import { createContext, useContext } from 'react';
import type { ConsoleControls, ConsoleView } from '../console/index.js';
import type { ConsoleEndpoint } from '../driver/driver.js';

export type ConsoleSessionLike = ConsoleView & ConsoleControls;

/** The registry methods the app uses (ConsoleRegistry has them). */
export interface ConsolesLike {
  open(key: string, name: string, getEndpoint: () => Promise<ConsoleEndpoint>): ConsoleSessionLike;
  get(key: string): ConsoleSessionLike | undefined;
  /** detach for good (x): the socket is free for another console */
  close?(key: string): Promise<void>;
}

export interface ConsoleDeps {
  registry: ConsolesLike;
  /** where `l` in scrollback mode writes console logs */
  logDir: string;
  /** the key that leaves the pane (--console-escape); default Ctrl-] */
  leaveKey?: string;
}

export const ConsolesContext = createContext<ConsoleDeps | null>(null);

export function useConsoles(): ConsoleDeps | null {
  return useContext(ConsolesContext);
}
