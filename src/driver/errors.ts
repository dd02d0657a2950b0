// Typed errors: every failure a user can see carries a stable code and one clear message line.

export type ErrorCode =
  | 'NO_DOMAIN' // unknown domain name
  | 'INVALID_NAME'
  | 'INVALID_XML' // not well-formed, hostile, too large
  | 'INVALID_CONFIG' // well-formed but fails validation (memory, MAC, duplicate target...)
  | 'DOMAIN_EXISTS'
  | 'UNSUPPORTED' // the driver cannot run what the XML asks for (refused at start)
  | 'INVALID_STATE' // e.g. start of a running domain
  | 'FILE_MISSING' // kernel, initrd, disk image not found
  | 'START_FAILED' // QEMU exited during start
  | 'QMP_ERROR' // QEMU answered a command with an error
  | 'QMP_TIMEOUT'
  | 'QMP_CLOSED'
  | 'QMP_PROTOCOL'
  | 'HOTPLUG_FAILED'
  | 'IO_ERROR'
  | 'EXEC_FAILED'
  | 'TIMEOUT'
  | 'NOT_SUPPORTED_BY_DRIVER';

export class KvmtuiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = 'KvmtuiError';
  }
}

export class QmpError extends KvmtuiError {
  /** QMP's error class, e.g. GenericError, DeviceNotFound, CommandNotFound */
  readonly qmpClass: string;
  constructor(qmpClass: string, desc: string, command: string) {
    super('QMP_ERROR', `${command}: ${desc}`);
    this.qmpClass = qmpClass;
    this.name = 'QmpError';
  }
}

export function isKvmtuiError(e: unknown, code?: ErrorCode): e is KvmtuiError {
  return e instanceof KvmtuiError && (code === undefined || e.code === code);
}

/** One line for a status bar or stderr: never a stack trace. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0] || e.name;
  return String(e);
}
