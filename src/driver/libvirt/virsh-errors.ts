// virsh's "error: ..." lines -> one KvmtuiError line with a stable code.
// virsh prints its own summary first ("Failed to resume domain 'x'") and libvirt's reason after it
// ("Requested operation is not valid: domain is already running"); both go into the message.
import { KvmtuiError, type ErrorCode } from '../errors.js';

/** The text of every "error: " line, in order, without the prefix and without repeats. */
export function virshErrorLines(stderr: string): string[] {
  const out: string[] = [];
  for (const raw of stderr.split('\n')) {
    const line = raw.trim();
    if (!line.toLowerCase().startsWith('error:')) continue;
    const text = line.slice('error:'.length).trim();
    if (text && !out.includes(text)) out.push(text);
  }
  return out;
}

/** Which code a libvirt/virsh error text means; undefined when nothing specific matches. */
export function classifyVirshError(text: string): ErrorCode | undefined {
  const t = text.toLowerCase();
  if (isConnectionFailure(t)) return 'EXEC_FAILED';
  if (/failed to get domain|domain not found|no domain with matching/.test(t)) return 'NO_DOMAIN';
  if (/already exists with uuid|already defined with uuid|domain .* already exists/.test(t)) return 'DOMAIN_EXISTS';
  if (
    /already active|already running|is not running|domain is not active|inactive domain|domain is (?:already )?paused|domain is pmsuspended|requested operation is not valid/.test(
      t,
    )
  ) {
    return 'INVALID_STATE';
  }
  if (/not supported by the connection driver|this function is not supported/.test(t)) return 'NOT_SUPPORTED_BY_DRIVER';
  if (/cannot access storage file|no such file or directory/.test(t)) return 'FILE_MISSING';
  if (/unsupported configuration|operation not supported/.test(t)) return 'UNSUPPORTED';
  if (/\(domain_definition\)|couldn't find end|extra content at the end|start tag expected|failed to parse xml|malformed xml/.test(t)) {
    return 'INVALID_XML';
  }
  if (/xml error|invalid argument|config unsupported|is not valid|invalid value/.test(t)) return 'INVALID_CONFIG';
  return undefined;
}

export function isConnectionFailure(lowerText: string): boolean {
  return /failed to connect to the hypervisor|failed to connect socket|cannot recv data|end of file while reading data|connection reset|connection refused|host key verification failed|permission denied \(publickey|could not resolve hostname|no route to host|no connection driver available|unable to connect to server|disconnected from .* due to/.test(
    lowerText,
  );
}

export interface VirshFailure {
  stderr: string;
  exitCode: number;
  /** what was being done, for a message when virsh printed no error line: "virsh start" */
  what: string;
  /** the code when the text says nothing more specific */
  fallbackCode?: ErrorCode;
  /** the connection, named in connection failures */
  uri?: string;
}

export function virshError(f: VirshFailure): KvmtuiError {
  const lines = virshErrorLines(f.stderr);
  if (lines.length === 0) {
    const last = f.stderr.trim().split('\n').pop()?.trim();
    return new KvmtuiError(f.fallbackCode ?? 'EXEC_FAILED', `${f.what} failed (exit ${f.exitCode})${last ? `: ${last}` : ''}`);
  }
  const text = lines.join(': ');
  // the most specific line decides: libvirt's reason comes after virsh's summary
  const code = [...lines].reverse().map(classifyVirshError).find(Boolean) ?? f.fallbackCode ?? 'EXEC_FAILED';
  if (code === 'EXEC_FAILED' && f.uri && isConnectionFailure(text.toLowerCase())) {
    return new KvmtuiError(code, `cannot reach ${f.uri}: ${text}`);
  }
  return new KvmtuiError(code, text);
}
