// Splits the QMP byte stream into JSON messages. QEMU writes one JSON object per line (\r\n);
// socket chunks may hold a fraction of a line, several lines, or split a UTF-8 character.
import { StringDecoder } from 'node:string_decoder';
import { KvmtuiError } from '../errors.js';

/** A line longer than this is not QMP (query-qmp-schema, the largest reply, is well under it). */
export const MAX_QMP_LINE_CHARS = 32 * 1024 * 1024;

export type QmpMessage = Record<string, unknown>;

export class QmpLineDecoder {
  private readonly text = new StringDecoder('utf8');
  private buffered = '';

  constructor(private readonly maxLine = MAX_QMP_LINE_CHARS) {}

  /**
   * Feed one chunk; each complete message is handed to onMessage in order.
   * Throws QMP_PROTOCOL at the first line that is not a JSON object (messages before it are delivered).
   */
  push(chunk: Buffer | string, onMessage: (msg: QmpMessage) => void): void {
    this.buffered += typeof chunk === 'string' ? chunk : this.text.write(chunk);
    let nl: number;
    while ((nl = this.buffered.indexOf('\n')) !== -1) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (line) onMessage(parseLine(line));
    }
    if (this.buffered.length > this.maxLine) {
      this.buffered = '';
      throw new KvmtuiError('QMP_PROTOCOL', `QMP protocol error: message longer than ${this.maxLine} characters without a newline`);
    }
  }
}

function parseLine(line: string): QmpMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new KvmtuiError('QMP_PROTOCOL', `QMP protocol error: not JSON: ${preview(line)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new KvmtuiError('QMP_PROTOCOL', `QMP protocol error: expected a JSON object, got ${preview(line)}`);
  }
  return value as QmpMessage;
}

function preview(s: string): string {
  const oneLine = s.replace(/[\x00-\x1f\x7f]/g, '?');
  return oneLine.length > 60 ? `${oneLine.slice(0, 60)}...` : oneLine;
}
