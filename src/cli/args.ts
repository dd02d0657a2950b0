// A small argv parser: each verb declares its boolean and valued flags, anything else is an error.
import { KvmtuiError } from '../driver/errors.js';

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean>;
}

export interface FlagSpec {
  boolean?: string[];
  valued?: string[];
}

export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const booleans = new Set(spec.boolean ?? []);
  const valued = new Set(spec.valued ?? []);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (booleans.has(name)) {
      if (eq >= 0) throw new KvmtuiError('INVALID_CONFIG', `option --${name} takes no value`);
      flags[name] = true;
    } else if (valued.has(name)) {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new KvmtuiError('INVALID_CONFIG', `option --${name} needs a value`);
      flags[name] = value;
    } else {
      throw new KvmtuiError('INVALID_CONFIG', `unknown option ${a}`);
    }
  }
  return { positionals, flags };
}
