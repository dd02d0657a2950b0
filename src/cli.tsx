#!/usr/bin/env node
// kvmtui entry: no verb opens the TUI; a verb runs the scripting CLI (virsh's verbs and flags).
import { createDriver, createDrivers } from './driver/connect.js';
import type { Driver } from './driver/driver.js';
import { errorMessage } from './driver/errors.js';
import { defaultHome } from './driver/qemu/paths.js';
import { parseArgs } from './cli/args.js';
import { parseEscapeKey } from './console/escape-key.js';
import type { CliCommand, CliContext } from './cli/command.js';
import { domainCommands } from './cli/domain-commands.js';
import { statsCommands } from './cli/stats-commands.js';
import { deviceCommands } from './cli/device-commands.js';
import { editCommand, editInEditor } from './cli/edit-command.js';
import { snapshotCommands } from './cli/snapshot-commands.js';

const commands: CliCommand[] = [...domainCommands, editCommand, ...statsCommands, ...deviceCommands, ...snapshotCommands];

/** virsh-style global options before the verb: -c/--connect URI (repeatable for the TUI) */
function takeConnect(argv: string[]): { uris: string[]; rest: string[] } {
  const uris: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-c' || a === '--connect') {
      const v = argv[++i];
      if (v === undefined) throw new Error(`option ${a} needs a URI`);
      uris.push(v);
    } else if (a.startsWith('--connect=')) uris.push(a.slice('--connect='.length));
    else break;
  }
  return { uris, rest: argv.slice(i) };
}

function usage(): string {
  const w = 38;
  // a long usage gets its summary on the next line, so the help stays readable at 80 columns
  const verbLines = commands.map((c) =>
    c.usage.length <= w ? `  ${c.usage.padEnd(w)}  ${c.summary}` : `  ${c.usage}\n  ${''.padEnd(w)}  ${c.summary}`,
  );
  return [
    'usage: kvmtui [-c URI]... [--interval SECONDS] [--history SAMPLES] [--scrollback LINES]',
    '              [--console-escape ^X]              open the full-screen TUI',
    '       kvmtui [-c URI] VERB [ARGS...]           scripting CLI (virsh verbs)',
    '',
    'verbs:',
    ...verbLines,
    '',
    'URI: none for the local QEMU driver (KVMTUI_HOME, default $XDG_DATA_HOME/kvmtui or',
    '~/.local/share/kvmtui), qemu+local:///PATH for another home, or a libvirt URI',
    '(qemu:///system, qemu+ssh://host/system). The TUI takes several -c and lists them all.',
  ].join('\n');
}

function intFlag(value: string | boolean | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}, not '${value}'`);
  return n;
}

async function runTuiMain(argv: string[], home: string, uris: string[]): Promise<number> {
  const a = parseArgs(argv, { valued: ['interval', 'history', 'scrollback', 'console-escape'] });
  if (a.positionals.length) throw new Error(`unknown verb '${a.positionals[0]}' (kvmtui --help lists them)`);
  const interval = a.flags.interval === undefined ? 1 : Number(a.flags.interval);
  if (!Number.isFinite(interval) || interval < 0.1 || interval > 3600) {
    throw new Error(`--interval must be a number of seconds between 0.1 and 3600, not '${a.flags.interval}'`);
  }
  const historyCapacity = intFlag(a.flags.history, 'history', 2, 100_000);
  const consoleScrollback = intFlag(a.flags.scrollback, 'scrollback', 0, 1_000_000);
  const consoleLeaveKey = typeof a.flags['console-escape'] === 'string' ? parseEscapeKey(a.flags['console-escape']) : undefined;
  // React's development build renders several times slower; the TUI is not a dev session
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('./ui/run-tui.js');
  const drivers = createDrivers(uris, { home, persistentMonitors: true });
  await runTui({ drivers, interval: interval * 1000, historyCapacity, consoleScrollback, consoleLeaveKey, editXml: editInEditor });
  return 0;
}

async function main(all: string[]): Promise<number> {
  const home = defaultHome();
  const { uris, rest: argv } = takeConnect(all);
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === 'version') {
    process.stdout.write('kvmtui 0.1.0\n');
    return 0;
  }
  if (argv.length === 0 || argv[0].startsWith('--')) return runTuiMain(argv, home, uris);
  if (uris.length > 1) throw new Error('a verb acts on one connection: give -c once');

  const cmd = commands.find((c) => c.verb === argv[0]);
  if (!cmd) throw new Error(`unknown verb '${argv[0]}' (kvmtui --help lists them)`);
  const a = parseArgs(argv.slice(1), cmd.flags ?? {});
  const [min, max] = typeof cmd.args === 'number' ? [cmd.args, cmd.args] : cmd.args;
  if (a.positionals.length < min || a.positionals.length > max) throw new Error(`usage: kvmtui ${cmd.usage}`);
  let driver: Driver | undefined;
  const ctx: CliContext = {
    home,
    driver: () => (driver ??= createDriver(uris[0], { home })),
    out: (t) => process.stdout.write(t),
  };
  try {
    await cmd.run(ctx, a);
  } finally {
    await driver?.close();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`error: ${errorMessage(e)}\n`);
    process.exitCode = 1;
  },
);
