import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capConsoleLog } from '../../src/driver/qemu/runtime.js';
import { homePaths, runPaths, type RunPaths } from '../../src/driver/qemu/paths.js';

describe('console log cap', () => {
  let dir: string;
  let rp: RunPaths;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kt-cap-'));
    rp = { ...runPaths(homePaths(dir), 'x'), consoleLog: join(dir, 'console.log') };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a log under the limit alone', async () => {
    await writeFile(rp.consoleLog, 'hello\n');
    expect(await capConsoleLog(rp, 1024)).toBe(false);
    expect(await readFile(rp.consoleLog, 'utf8')).toBe('hello\n');
  });

  it('keeps the tail as console.log.1 and truncates, while an O_APPEND writer keeps writing at the new end', async () => {
    const writer = await open(rp.consoleLog, 'a'); // as QEMU opens it with logappend=on
    await writer.write('A'.repeat(5000) + 'TAIL');
    expect(await capConsoleLog(rp, 4096, 100)).toBe(true);
    const kept = await readFile(rp.consoleLog + '.1', 'utf8');
    expect(kept).toHaveLength(100);
    expect(kept.endsWith('TAIL')).toBe(true);
    expect((await stat(rp.consoleLog)).size).toBe(0);
    await writer.write('next');
    await writer.close();
    expect(await readFile(rp.consoleLog, 'utf8')).toBe('next');
    expect((await stat(rp.consoleLog + '.1')).mode & 0o777).toBe(0o600);
  });

  it('does nothing when there is no log', async () => {
    expect(await capConsoleLog(rp, 10)).toBe(false);
  });
});
