import type { CongestionControlName } from '../config.js';
import { Cubic } from './cubic.js';
import type { CongestionControl } from './interface.js';
import { NewReno } from './newreno.js';

export { Cubic } from './cubic.js';
export type { AckSample, CongestionControl } from './interface.js';
export { NewReno } from './newreno.js';

export function createCongestionControl(
  name: CongestionControlName,
  initialCwnd: number,
  options: { hystart?: boolean } = {},
): CongestionControl {
  return name === 'newreno' ? new NewReno(initialCwnd) : new Cubic(initialCwnd, options);
}
