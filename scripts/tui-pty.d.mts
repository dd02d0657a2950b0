// Types for scripts/tui-pty.mjs, so TypeScript tests can import it.
import type { Terminal } from '@xterm/headless';
import type { IPty } from 'node-pty';

export declare const ROOT: string;
export declare const CLI: string;

export interface TuiScreen {
  term: Terminal;
  pty: IPty;
  readonly bytes: number;
  chunks: Array<{ t: number; n: number }>;
  readonly exitInfo: { exitCode: number; signal?: number } | null;
  exited: Promise<{ exitCode: number; signal?: number }>;
  drain(): Promise<void>;
  lines(): string[];
  text(): string;
  row(name: string): string | undefined;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  waitFor(what: string | RegExp | ((text: string) => boolean), timeoutMs?: number): Promise<string>;
  kill(): void;
}

export declare function openTui(opts?: { args?: string[]; env?: Record<string, string>; cols?: number; rows?: number; cli?: string }): TuiScreen;
