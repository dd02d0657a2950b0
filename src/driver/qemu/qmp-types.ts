// The QMP client contract (implemented in qmp-client.ts).

export interface QmpEvent {
  event: string;
  data?: Record<string, unknown>;
  /** ms since epoch, from QMP's timestamp */
  time: number;
}

export interface QmpExecuteOptions {
  /** default 5000 ms */
  timeoutMs?: number;
}

export interface QmpClient {
  /** Send one command; resolves with its "return", rejects with QmpError / QMP_TIMEOUT / QMP_CLOSED. */
  execute<T = unknown>(command: string, args?: Record<string, unknown>, opts?: QmpExecuteOptions): Promise<T>;
  onEvent(listener: (ev: QmpEvent) => void): () => void;
  onClose(listener: (err?: Error) => void): () => void;
  readonly closed: boolean;
  close(): Promise<void>;
}
