// What one scripting-CLI verb looks like; verbs live in files grouped by topic.
import type { Driver } from '../driver/driver.js';
import type { FlagSpec, ParsedArgs } from './args.js';

export interface CliContext {
  driver(): Driver;
  out(text: string): void;
  home: string;
}

export interface CliCommand {
  verb: string;
  usage: string;
  summary: string;
  flags?: FlagSpec;
  /** exact number of positionals, or [min, max] */
  args: number | [number, number];
  run(ctx: CliContext, a: ParsedArgs): Promise<void>;
}
