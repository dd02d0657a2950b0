// Glue between the local driver and the stats sampler: derives the sampler's context (pid,
// disk node names, NIC host devices) from the domain's config and the argv naming scheme.
import type { DomainState, StatsSample } from '../driver.js';
import type { DomainConfig } from '../../domain/model.js';
import type { QmpClient } from './qmp-types.js';
import { sampleDomainStats } from './stats.js';

/** -device id and -blockdev node-name the argv builder gives a disk (see argv-context.ts) */
export function diskIds(target: string): { qdevId: string; nodeName: string } {
  return { qdevId: `disk-${target}`, nodeName: `drive-${target}` };
}

export class DomainStats {
  /** Run once after start, before the guest runs; the sampler sets up balloon polling itself. */
  async prepare(_c: QmpClient): Promise<void> {}

  sample(c: QmpClient, name: string, pid: number, cfg: DomainConfig, state: DomainState): Promise<StatsSample> {
    return sampleDomainStats(c, {
      name,
      pid,
      vcpus: cfg.vcpus,
      memoryKiB: cfg.memoryKiB,
      state,
      disks: cfg.disks.map((d) => ({ target: d.target, ...diskIds(d.target) })),
      nics: cfg.interfaces.map((n) => ({ mac: n.mac ?? '', hostDev: n.targetDev, type: n.type })),
    });
  }
}
