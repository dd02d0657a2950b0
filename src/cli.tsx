#!/usr/bin/env node
// kvmtui entry: no verb opens the TUI; a verb runs the scripting CLI (virsh's verbs and flags).
import { createLocalDriver } from './driver/qemu/local-driver.js';
import type { Driver } from './driver/driver.js';
import { errorMessage } from './driver/errors.js';
import { defaultHome } from './driver/qemu/paths.js';
import { parseArgs } from './cli/args.js';
import type { CliCommand, CliContext } from './cli/command.js';
import { domainCommands } from './cli/domain-commands.js';
import { statsCommands } from './cli/stats-commands.js';
import { deviceCommands } from './cli/device-commands.js';

const commands: CliCommand[] = [...domainCommands, ...statsCommands, ...deviceCommands];

function usage(): string {
  const w = Math.max(...commands.map((c) => c.usage.length));
  return [
    'usage: kvmtui [--interval SECONDS]        open the full-screen TUI',
    '       kvmtui VERB [ARGS...]             scripting CLI (virsh verbs)',
    '',
    'verbs:',
    ...commands.map((c) => `  ${c.usage.padEnd(w)}  ${c.summary}`),
    '',
    'KVMTUI_HOME (default $XDG_DATA_HOME/kvmtui or ~/.local/share/kvmtui) holds the domains.',
  ].join('\n');
}

async function runTuiMain(argv: string[], home: string): Promise<number> {
  const a = parseArgs(argv, { valued: ['interval'] });
  if (a.positionals.length) throw new Error(`unknown verb '${a.positionals[0]}' (kvmtui --help lists them)`);
  const interval = a.flags.interval === undefined ? 1 : Number(a.flags.interval);
  if (!Number.isFinite(interval) || interval < 0.1 || interval > 3600) {
    throw new Error(`--interval must be a number of seconds between 0.1 and 3600, not '${a.flags.interval}'`);
  }
  // React's development build renders several times slower; the TUI is not a dev session
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('./ui/run-tui.js');
  const driver = createLocalDriver({ home, persistentMonitors: true });
  await runTui({ drivers: [driver], interval: interval * 1000 });
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const home = defaultHome();
  if (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === 'version') {
    process.stdout.write('kvmtui 0.1.0\n');
    return 0;
  }
  if (argv.length === 0 || argv[0].startsWith('--')) return runTuiMain(argv, home);

  const cmd = commands.find((c) => c.verb === argv[0]);
  if (!cmd) throw new Error(`unknown verb '${argv[0]}' (kvmtui --help lists them)`);
  const a = parseArgs(argv.slice(1), cmd.flags ?? {});
  const [min, max] = typeof cmd.args === 'number' ? [cmd.args, cmd.args] : cmd.args;
  if (a.positionals.length < min || a.positionals.length > max) throw new Error(`usage: kvmtui ${cmd.usage}`);
  let driver: Driver | undefined;
  const ctx: CliContext = {
    home,
    driver: () => (driver ??= createLocalDriver({ home })),
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
