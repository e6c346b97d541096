// The fault injector's configuration for a simulation: the user's spec (from the client's point of
// view), the `loss` shorthand added to both directions, and the simulation's seed unless the spec
// names its own.
import { type ImpairmentConfig, ImpairSpecError, parseImpairSpec } from '../link/impair-spec.js';

/** The injector config, or null when nothing is impaired (the injector is then left out entirely). */
export function impairmentFor(
  impair: string | ImpairmentConfig | undefined,
  loss: number | undefined,
  seed: number,
): ImpairmentConfig | null {
  if (impair === undefined && (loss === undefined || loss === 0)) return null;
  let config: ImpairmentConfig;
  if (impair === undefined) config = { in: {}, out: {}, seed };
  else if (typeof impair === 'string') {
    config = parseImpairSpec(impair);
    if (!/(^|[,;\s])seed\s*=/i.test(impair)) config.seed = seed;
  } else config = { in: { ...impair.in }, out: { ...impair.out }, seed: impair.seed };
  if (loss !== undefined && loss > 0) {
    if (!(loss <= 1)) throw new RangeError(`simulate: loss must be a probability in 0..1, got ${loss}`);
    for (const dir of [config.in, config.out]) {
      if (dir.loss !== undefined) {
        throw new ImpairSpecError('loss given twice', 'give the loss either with --loss or inside --impair');
      }
      dir.loss = loss;
    }
  }
  return config;
}
