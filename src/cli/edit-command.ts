// `kvmtui edit NAME`, as `virsh edit`: the domain's XML in $VISUAL/$EDITOR, defined again when
// it changed. A document that does not define is offered back for another try; nothing is
// written until it defines, and an unchanged file changes nothing.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { KvmtuiError, errorMessage } from '../driver/errors.js';
import { runOnTerminal } from '../driver/exec.js';
import { parseDomainXml, validateDomainName } from '../domain/index.js';
import type { CliCommand } from './command.js';

/** $VISUAL, else $EDITOR, else vi; split on spaces (no shell), so "code -w" works */
export function editorCommand(env: NodeJS.ProcessEnv = process.env): { file: string; args: string[] } {
  const words = (env.VISUAL || env.EDITOR || 'vi').trim().split(/\s+/);
  return { file: words[0], args: words.slice(1) };
}

/**
 * One round in the operator's editor on a private temp copy: the edited text, or null when it
 * was saved unchanged. The TUI calls this (through runTui's editXml) with its screen suspended.
 */
export async function editInEditor(name: string, xml: string): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), 'kvmtui-edit-'));
  const file = join(dir, `${name}.xml`);
  try {
    await writeFile(file, xml, { mode: 0o600 });
    const editor = editorCommand();
    const code = await runOnTerminal(editor.file, [...editor.args, file]);
    if (code !== 0) throw new KvmtuiError('EXEC_FAILED', `${editor.file} exited with ${code}; domain '${name}' not changed`);
    const edited = await readFile(file, 'utf8');
    return edited === xml ? null : edited;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function askRetry(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export const editCommand: CliCommand = {
  verb: 'edit',
  usage: 'edit NAME',
  summary: "edit a domain's XML in $VISUAL/$EDITOR and define it again (virsh edit)",
  args: 1,
  async run(ctx, a) {
    const name = validateDomainName(a.positionals[0]);
    const driver = ctx.driver();
    const original = await driver.dumpXml(name);
    let text = original;
    for (;;) {
      const edited = await editInEditor(name, text);
      if (edited === null || edited === original) {
        ctx.out(`Domain '${name}' XML configuration not changed.\n`);
        return;
      }
      text = edited; // a retry starts from what the operator wrote, not from the stored XML
      try {
        const newName = parseDomainXml(edited).config.name;
        if (newName !== name) {
          throw new KvmtuiError('INVALID_CONFIG', `the name changed from '${name}' to '${newName}': edit cannot rename a domain`);
        }
        await driver.defineXml(edited);
        ctx.out(`Domain '${name}' XML configuration edited.\n`);
        return;
      } catch (e) {
        process.stderr.write(`error: ${errorMessage(e)}\n`);
        if (!(await askRetry('Try again? [y,N]: '))) {
          throw new KvmtuiError('INVALID_CONFIG', `domain '${name}' not changed`);
        }
      }
    }
  },
};
