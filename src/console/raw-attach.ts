// `kvmtui console NAME`: this terminal in raw mode wired to the guest's serial socket, as
// `virsh console` does, but with guest output filtered (passthrough-filter.ts). Ctrl-] leaves.
// Like virsh, one console session per domain: a socket another kvmtui console holds (a TUI's
// pane) is refused, unless `force` takes it over (the pane then lets go and says so).
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ConsoleEndpoint } from '../driver/driver.js';
import { KvmtuiError } from '../driver/errors.js';
import { claimOwner, describeOwner, otherOwner, releaseOwner } from './console-owner.js';
import { PassthroughFilter } from './passthrough-filter.js';

export const ESCAPE_BYTE = 0x1d; // Ctrl-]

export interface RawAttachOptions {
  /** take the console over from another kvmtui console holding it (virsh console --force) */
  force?: boolean;
  /** told once the console is ours, before any guest output (serial sockets only) */
  onAttach?: () => void;
}

export function attachRawConsole(
  ep: ConsoleEndpoint,
  input: Readable & { isTTY?: boolean; setRawMode?: (m: boolean) => void },
  output: Writable,
  opts: RawAttachOptions = {},
): Promise<void> {
  if (ep.kind === 'unix') {
    const owner = otherOwner(ep.socketPath);
    if (owner && !opts.force) {
      return Promise.reject(
        new KvmtuiError('INVALID_STATE', `Active console session exists for this domain: ${describeOwner(owner)}; leave it there (x closes the pane) or use --force to take it over`),
      );
    }
    claimOwner(ep.socketPath, 'cli');
    opts.onAttach?.();
  }
  // a console program (virsh console) needs the terminal itself: it sets raw mode and handles
  // Ctrl-] on its own, and refuses to run on pipes
  if (ep.kind === 'command') return runOnTerminal(ep.file, ep.args);
  return attach(ep, input, output).finally(() => {
    if (ep.kind === 'unix') releaseOwner(ep.socketPath);
  });
}

function attach(ep: Extract<ConsoleEndpoint, { kind: 'unix' }>, input: Readable & { isTTY?: boolean; setRawMode?: (m: boolean) => void }, output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const filter = new PassthroughFilter();
    const sock = connect(ep.socketPath);
    const guestIn: Writable = sock;
    const guestOut: Readable = sock;
    const closeGuest = () => sock.destroy();
    sock.on('error', (e) => finish(new KvmtuiError('IO_ERROR', `serial console: ${e.message}`)));
    const wasRaw = !!input.isTTY;
    if (input.isTTY && input.setRawMode) input.setRawMode(true);

    const onInput = (buf: Buffer) => {
      const esc = buf.indexOf(ESCAPE_BYTE);
      if (esc >= 0) {
        if (esc > 0) guestIn.write(buf.subarray(0, esc));
        finish();
        return;
      }
      guestIn.write(buf);
    };
    const onGuest = (buf: Buffer) => {
      const safe = filter.push(buf);
      if (safe) output.write(safe);
    };
    let done = false;
    function finish(err?: Error) {
      if (done) return;
      done = true;
      input.off('data', onInput);
      input.pause();
      if (wasRaw && input.setRawMode) input.setRawMode(false);
      closeGuest();
      if (err) reject(err);
      else resolve();
    }
    guestOut.on('data', onGuest);
    guestOut.on('end', () => finish());
    input.on('data', onInput);
    input.on('end', () => finish());
    input.resume();
  });
}

function runOnTerminal(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit' });
    child.on('error', (e) => reject(new KvmtuiError('EXEC_FAILED', `${file}: ${e.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new KvmtuiError('EXEC_FAILED', `${file} console ${signal ? `ended by ${signal}` : `exited with code ${code}`}`));
    });
  });
}
