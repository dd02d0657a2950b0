// Disk and interface verbs (attach-disk, detach-disk, ...): filled in by the device-editor work.
import type { CliCommand } from './command.js';

export const deviceCommands: CliCommand[] = [];
