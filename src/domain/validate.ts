// Validation at define: only what makes a domain unusable as a definition (bad name, memory,
// vcpus, MACs, duplicate targets...). What a driver cannot RUN is refused later, at start.

import { KvmtuiError, type ErrorCode } from '../driver/errors.js';
import { macProblem, normalizeMac } from './mac.js';
import type { DomainConfig } from './model.js';
import { isValidUuid } from './uuid.js';

export const MAX_NAME_LENGTH = 64;
export const MAX_VCPUS = 4096;
/** 64 TiB: more than any host has; a bigger value is a typo or a unit mistake */
export const MAX_MEMORY_KIB = 64 * 1024 ** 3;

export interface DomainProblem {
  code: ErrorCode;
  message: string;
}

export interface ValidateOptions {
  /** names of the other domains on this host (a domain being redefined leaves its own out) */
  existingNames?: Iterable<string>;
}

/** The name as it can be shown on one line: control characters escaped, long names cut. */
export function showName(name: string): string {
  const escaped = name.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return escaped.length > 80 ? `${escaped.slice(0, 77)}...` : escaped;
}

/** Every problem with a domain name, one message each; empty when the name is fine. */
export function domainNameProblems(name: string): string[] {
  if (name === '') return ['domain name is empty'];
  const problems: string[] = [];
  const shown = showName(name);
  const length = [...name].length;
  if (length > MAX_NAME_LENGTH) problems.push(`domain name '${shown}' is ${length} characters long, more than ${MAX_NAME_LENGTH}`);
  if (name.includes('/')) problems.push(`domain name '${shown}' contains '/'`);
  if (name.startsWith('.')) problems.push(`domain name '${shown}' starts with '.'`);
  const control = /[\x00-\x1f\x7f-\x9f]/.exec(name);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    problems.push(`domain name '${shown}' contains a control character (U+${code})`);
  }
  return problems;
}

/** Throws KvmtuiError('INVALID_NAME') naming every problem; returns the name when valid. */
export function validateDomainName(name: string): string {
  const problems = domainNameProblems(name);
  if (problems.length > 0) throw new KvmtuiError('INVALID_NAME', problems.join('; '));
  return name;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/** Every problem in a domain definition, with the error code each deserves. */
export function domainProblems(config: DomainConfig, opts: ValidateOptions = {}): DomainProblem[] {
  const problems: DomainProblem[] = [];
  const add = (code: ErrorCode, message: string) => problems.push({ code, message });

  for (const p of domainNameProblems(config.name)) add('INVALID_NAME', p);
  if (config.name !== '' && opts.existingNames && [...opts.existingNames].includes(config.name)) {
    add('DOMAIN_EXISTS', `a domain named '${showName(config.name)}' already exists`);
  }
  if (config.uuid !== undefined && !isValidUuid(config.uuid)) {
    add('INVALID_CONFIG', `uuid '${config.uuid}' is not a valid UUID (32 hex digits, e.g. 6f1c2a4e-3b5d-4e7f-8a9b-0c1d2e3f4a5b)`);
  }

  if (config.memoryKiB <= 0) add('INVALID_CONFIG', 'memory must be greater than 0 (set <memory unit="MiB">...</memory>)');
  else if (config.memoryKiB > MAX_MEMORY_KIB) add('INVALID_CONFIG', `memory of ${config.memoryKiB} KiB is more than the 64 TiB limit (check the unit)`);
  if (config.currentMemoryKiB <= 0) add('INVALID_CONFIG', 'currentMemory must be greater than 0');
  else if (config.memoryKiB > 0 && config.currentMemoryKiB > config.memoryKiB) {
    add('INVALID_CONFIG', `currentMemory (${config.currentMemoryKiB} KiB) is larger than memory (${config.memoryKiB} KiB)`);
  }
  if (!Number.isInteger(config.vcpus) || config.vcpus < 1 || config.vcpus > MAX_VCPUS) {
    add('INVALID_CONFIG', `vcpu count ${config.vcpus} is out of range (1-${MAX_VCPUS})`);
  }

  config.disks.forEach((d, i) => {
    if (d.target === '') add('INVALID_CONFIG', `disk ${i + 1}${d.source ? ` (${d.source})` : ''} has no <target dev=...>`);
  });
  for (const t of duplicates(config.disks.map((d) => d.target).filter((t) => t !== ''))) {
    add('INVALID_CONFIG', `disk target '${t}' is used by more than one disk`);
  }

  for (const iface of config.interfaces) {
    const problem = iface.mac === undefined ? undefined : macProblem(iface.mac);
    if (problem) add('INVALID_CONFIG', problem);
    for (const pf of iface.portForwards) {
      for (const [what, port] of [['host', pf.hostPort], ['guest', pf.guestPort], ['host end', pf.hostPortEnd]] as const) {
        if (port !== undefined && (port < 1 || port > 65535)) {
          add('INVALID_CONFIG', `port forward ${what} port ${port} on interface ${iface.mac ?? iface.type} is out of range (1-65535)`);
        }
      }
    }
  }
  const macs = config.interfaces.map((i) => i.mac).filter((m): m is string => m !== undefined && macProblem(m) === undefined);
  for (const m of duplicates(macs.map(normalizeMac))) add('INVALID_CONFIG', `MAC address ${m} is used by more than one interface`);
  return problems;
}

/** One message per problem; an empty array means the definition is acceptable. */
export function validateDomain(config: DomainConfig, opts: ValidateOptions = {}): string[] {
  return domainProblems(config, opts).map((p) => p.message);
}

/**
 * Throws a KvmtuiError when the definition has problems: the code of the first problem
 * (INVALID_NAME, DOMAIN_EXISTS or INVALID_CONFIG) and every message on one line.
 */
export function assertValidDomain(config: DomainConfig, opts: ValidateOptions = {}): void {
  const problems = domainProblems(config, opts);
  if (problems.length > 0) throw new KvmtuiError(problems[0]!.code, problems.map((p) => p.message).join('; '));
}
