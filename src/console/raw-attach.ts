// `kvmtui console NAME`: this terminal in raw mode wired to the guest's serial socket, as
// `virsh console` does, but with guest output filtered (passthrough-filter.ts). Ctrl-] leaves.
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ConsoleEndpoint } from '../driver/driver.js';
import { KvmtuiError } from '../driver/errors.js';
import { PassthroughFilter } from './passthrough-filter.js';

export const ESCAPE_BYTE = 0x1d; // Ctrl-]

export function attachRawConsole(ep: ConsoleEndpoint, input: Readable & { isTTY?: boolean; setRawMode?: (m: boolean) => void }, output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const filter = new PassthroughFilter();
    let guestIn: Writable;
    let guestOut: Readable;
    let closeGuest: () => void;
    if (ep.kind === 'unix') {
      const sock = connect(ep.socketPath);
      guestIn = sock;
      guestOut = sock;
      closeGuest = () => sock.destroy();
      sock.on('error', (e) => finish(new KvmtuiError('IO_ERROR', `serial console: ${e.message}`)));
    } else {
      const child = spawn(ep.file, ep.args, { stdio: ['pipe', 'pipe', 'inherit'] });
      guestIn = child.stdin;
      guestOut = child.stdout;
      closeGuest = () => child.kill();
      child.on('error', (e) => finish(new KvmtuiError('EXEC_FAILED', `${ep.file}: ${e.message}`)));
    }
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
