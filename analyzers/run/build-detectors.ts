import { detectorRegistry } from '../detectors/index.js';
import type { AnalyzersConfig } from '../config.js';
import type { Detector, DetectorContext } from '../types.js';

/** The enabled detectors of a config (all of them, with defaults, when `detectors` names none). */
export function buildDetectors(
  cfg: Pick<AnalyzersConfig, 'detectors'>,
  ctx: DetectorContext,
  only?: string[],
): Detector[] {
  const out: Detector[] = [];
  const opts = cfg.detectors as Record<string, (Record<string, unknown> & { enabled?: boolean }) | undefined>;
  for (const [type, factory] of Object.entries(detectorRegistry)) {
    const o = opts[type] ?? {};
    if (o.enabled === false) continue;
    if (only && !only.includes(type)) continue;
    const { enabled: _e, ...rest } = o;
    out.push(factory(rest, ctx));
  }
  return out;
}

/** Routes records to the detectors that want their path. */
export class DetectorFanout {
  private readonly byPath = new Map<string, Detector[]>();
  private readonly all: Detector[];

  constructor(readonly detectors: Detector[]) {
    this.all = detectors.filter((d) => d.paths.includes('*'));
  }

  forPath(path: string): Detector[] {
    let ds = this.byPath.get(path);
    if (!ds) {
      ds = this.detectors.filter((d) => d.paths.includes('*') || d.paths.includes(path));
      this.byPath.set(path, ds);
    }
    return ds;
  }

  get wildcard(): Detector[] {
    return this.all;
  }
}
