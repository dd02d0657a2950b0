// The `:` command line: parse a line, run it against the store, complete a word with Tab.
import type { AppState } from '../store/app-store.js';
import { LIFECYCLE, type LifecycleAction } from '../store/lifecycle.js';
import { SORT_KEYS, type SortKey } from '../store/types.js';

interface CommandSpec {
  names: string[];
  usage: string;
  description: string;
  /** what the arguments complete to */
  complete?: (s: AppState) => string[];
  run(s: AppState, args: string[]): void;
}

const domainNames = (s: AppState) => [...new Set([...s.domains.values()].map((e) => e.name))].sort();

function lifecycleCommand(action: LifecycleAction, extra: string[] = []): CommandSpec {
  const info = LIFECYCLE[action];
  return {
    names: [info.verb, ...extra],
    usage: `${info.verb} [NAME...]`,
    description: `${info.label} the named domains (default: marked or selected)`,
    complete: domainNames,
    run: (s, args) => s.actions.request(action, args.length ? { names: args } : {}),
  };
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    names: ['sort'],
    usage: 'sort FIELD',
    description: `sort the list by ${SORT_KEYS.join(', ')} (numbers: biggest first)`,
    complete: () => [...SORT_KEYS],
    run(s, args) {
      const k = args[0] as SortKey | undefined;
      if (!k || !SORT_KEYS.includes(k)) return s.actions.setStatus('error', `sort: expected one of ${SORT_KEYS.join(', ')}`);
      s.actions.setSort(k);
    },
  },
  {
    names: ['filter'],
    usage: 'filter [TEXT]',
    description: 'show only domains whose name or state contains TEXT (none: show all)',
    run: (s, args) => s.actions.setFilter(args.join(' ')),
  },
  lifecycleCommand('start'),
  lifecycleCommand('shutdown'),
  lifecycleCommand('destroy'),
  lifecycleCommand('reboot'),
  lifecycleCommand('reset'),
  lifecycleCommand('suspend', ['pause']),
  lifecycleCommand('resume'),
  {
    names: ['open'],
    usage: 'open NAME',
    description: 'open a domain',
    complete: domainNames,
    run(s, args) {
      const e = [...s.domains.values()].find((x) => x.name === args[0]);
      if (!e) return s.actions.setStatus('error', `open: no domain named ${args[0] ?? ''}`.trim());
      s.actions.openDetail(e.key);
    },
  },
  {
    names: ['mark'],
    usage: 'mark all|none',
    description: 'mark every shown domain, or clear the marks',
    complete: () => ['all', 'none'],
    run(s, args) {
      if (args[0] === 'all') s.actions.markAllVisible();
      else if (args[0] === 'none') s.actions.clearMarks();
      else s.actions.setStatus('error', 'mark: expected all or none');
    },
  },
  { names: ['help', 'h'], usage: 'help', description: 'show the keys', run: (s) => s.actions.toggleHelp() },
  { names: ['quit', 'q'], usage: 'q', description: 'quit (domains keep running)', run: (s) => s.actions.quit() },
];

export function tokenize(line: string): string[] {
  return line.trim().split(/\s+/).filter(Boolean);
}

export function runCommandLine(s: AppState, line: string): void {
  const [name, ...args] = tokenize(line);
  if (!name) return;
  const cmd = COMMANDS.find((c) => c.names.includes(name));
  if (!cmd) return s.actions.setStatus('error', `:${name}: unknown command (? lists them)`);
  cmd.run(s, args);
}

/** Complete the last word of `line`; returns the line unchanged when nothing (or many things) match. */
export function completeCommandLine(s: AppState, line: string): string {
  const words = line.split(' ');
  const last = words[words.length - 1] ?? '';
  let candidates: string[];
  if (words.length === 1) candidates = COMMANDS.map((c) => c.names[0]);
  else candidates = COMMANDS.find((c) => c.names.includes(words[0]))?.complete?.(s) ?? [];
  const hits = candidates.filter((c) => c.startsWith(last));
  if (hits.length === 0) return line;
  const common = hits.reduce((a, b) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  });
  words[words.length - 1] = hits.length === 1 ? `${common} ` : common;
  return words.join(' ');
}
