// The step-size control of dt "auto": which step to try next, and whether a tried step's error is
// small enough. Simulation takes the steps; this decides their length.

import type { ResolvedConfig } from './config.js';
import { MAX_STAGES, stableMultiple } from './rkl2.js';
import { stabilityLimit_ms } from './stability.js';

/**
 * Error control of dt "auto" (src/core/rkl2.ts). A step is accepted when its estimated local error,
 * relative to each voxel's new value plus ERROR_FLOOR times the field's largest value, is at most
 * LOCAL_TOLERANCE_SHARE × relative_tolerance × τ/T, T the time since the last release event: error
 * per unit step, so that the errors of a run add up to about the tolerance whatever its length. T is
 * at most ERROR_HORIZON_STEPS × τ: a local error that does not fade as the run goes on (a stiff split
 * reaction near its steady state) would otherwise make the steps shrink without end; errors older
 * than that many steps have been damped by diffusion anyway.
 */
export const LOCAL_TOLERANCE_SHARE = 3;
const ERROR_HORIZON_STEPS = 100;
/** Each voxel's error is measured relative to its value plus this fraction of the field's largest. */
export const ERROR_FLOOR = 1e-3;
/** The first step after a release event, in forward-Euler limits (the controller grows it from there). */
const FIRST_STEP_MULTIPLE = 0.05;
/** Largest growth and shrinkage of the step from one step to the next, and the controller's safety factor. */
const MAX_GROWTH = 2;
const MAX_SHRINK = 0.2;
const SAFETY = 0.9;

/** Steps proposed by the error control are rounded down to this many per doubling. */
const STEPS_PER_OCTAVE = 8;

/**
 * A proposed step rounded down to 2^(k/8) ms: the controller's arithmetic (a cube root, a
 * logarithm) may differ in the last bit between JavaScript engines, and an unrounded step would
 * carry that difference into every later step; rounded, the same config takes the same steps in
 * Node and in every browser (unless a proposal falls within ~1e-15 of a rounding boundary).
 */
export function quantizeStep(step_ms: number): number {
  if (!(step_ms > 0 && Number.isFinite(step_ms))) return step_ms;
  return 2 ** (Math.floor(STEPS_PER_OCTAVE * Math.log2(step_ms) + 1e-9) / STEPS_PER_OCTAVE);
}

/**
 * The longest step (ms) at which the reactions split from diffusion stay within the tolerance; the
 * step's error estimate sees only diffusion, linear uptake and sources, so these bound it instead.
 * Pump: its pass is second order, local error ~(kτ)³ for its largest rate k = Vmax Km/(α (Km + C_rest)²)
 * (at C = C_rest; α the smallest): kτ ≤ tolerance^{1/3}. Glia: first order, error ~(k τ)²/2 for the
 * rate k = G/(α C_rest) of its flux G (ln C − mean ln C)/α near rest: kτ ≤ tolerance^{1/2}.
 */
export function reactionStepLimit_ms(config: ResolvedConfig, glialRate_mM_per_ms: number): number {
  const tolerance = config.accuracy.relative_tolerance;
  const minAlpha = Math.min(config.tissue.alpha, ...config.tissue.regions.map((region) => region.alpha));
  const rest = config.species.baseline_mM;
  const { vmax_mM_per_ms, km_mM } = config.uptake.pump;
  let limit = Infinity;
  if (vmax_mM_per_ms > 0) limit = Math.min(limit, tolerance ** (1 / 3) * minAlpha * (km_mM + rest) ** 2 / (vmax_mM_per_ms * km_mM));
  if (glialRate_mM_per_ms > 0) limit = Math.min(limit, Math.sqrt(tolerance) * minAlpha * Math.max(rest, 1e-3) / glialRate_mM_per_ms);
  return limit;
}

/** The longest step dt "auto" takes (ms): MAX_STAGES stages with a 10% margin, or less where a split reaction bounds it. */
function longestAutoStep_ms(stabilityLimit: number, reactionLimit: number): number {
  return Math.min(stabilityLimit * stableMultiple(MAX_STAGES) / 1.1, reactionLimit);
}

/** The most steps a run may take (a run to duration_ms, or a runTo): more is refused before it starts. */
export const MAX_STEPS = 1e7;

/**
 * The fewest steps a config can take to simulate span_ms: span / dt_ms when fixed, else span over
 * the longest step of dt "auto" (the error control takes at least as many). Infinity for a step of 0.
 */
export function fewestSteps(config: ResolvedConfig, span_ms: number, glialRate_mM_per_ms = 0): number {
  if (config.dt_ms !== 'auto') return Math.ceil(span_ms / config.dt_ms);
  return Math.ceil(span_ms / longestAutoStep_ms(stabilityLimit_ms(config), reactionStepLimit_ms(config, glialRate_mM_per_ms)));
}

/** How steps are chosen: by the error control, of a fixed length, or replaying a given schedule. */
export type StepMode = 'adaptive' | 'fixed' | 'replay';

/** The next step's length (ms) and the acceptance of tried steps. */
export class StepControl {
  /** The step to try next (ms). */
  proposal_ms: number;
  /** When the last release started, stopped or happened (ms): the control's time scale. */
  private lastEvent_ms = 0;
  private readonly reactionLimit_ms: number;
  private readonly tolerance: number;

  /**
   * stabilityLimit_ms: the forward-Euler limit; fixed_ms: the step of mode 'fixed'; fallback_ms: the
   * first step when nothing limits it (a grid without interior faces).
   */
  constructor(
    readonly mode: StepMode, private readonly stabilityLimit_ms: number, config: ResolvedConfig,
    glialRate_mM_per_ms: number, fixed_ms: number | null, fallback_ms: number,
  ) {
    this.tolerance = config.accuracy.relative_tolerance;
    this.reactionLimit_ms = reactionStepLimit_ms(config, glialRate_mM_per_ms);
    this.proposal_ms = mode === 'fixed' ? fixed_ms!
      : Math.min((mode === 'replay' ? 1 : FIRST_STEP_MULTIPLE) * stabilityLimit_ms, this.reactionLimit_ms);
    if (!Number.isFinite(this.proposal_ms)) this.proposal_ms = fallback_ms;
  }

  /** A step's estimated error relative to what it may have (≤ 1: acceptable). */
  errorRatio(error: number, start_ms: number, tau_ms: number): number {
    return error / (LOCAL_TOLERANCE_SHARE * this.tolerance
      * Math.max(tau_ms / (start_ms + tau_ms - this.lastEvent_ms), 1 / ERROR_HORIZON_STEPS));
  }

  /** True if a tried step must be taken again, shorter; the proposal is then shortened. */
  rejects(tau_ms: number, ratio: number): boolean {
    if (this.mode !== 'adaptive' || !(ratio > 1) || tau_ms <= 1e-6 * this.stabilityLimit_ms) return false;
    this.proposal_ms = quantizeStep(tau_ms * Math.max(MAX_SHRINK, SAFETY * ratio ** (-1 / 3)));
    return true;
  }

  /** After an accepted step of tau_ms with this error ratio that ended at now_ms: the next proposal. */
  accepted(tau_ms: number, ratio: number, now_ms: number): void {
    if (this.mode !== 'adaptive') return;
    const growth = ratio > 0 ? SAFETY * ratio ** (-1 / 3) : MAX_GROWTH;
    // At most half the time since the last release event: a field at rest would otherwise grow
    // steps of hundreds of stages, and the read-outs need samples to interpolate between (the cap
    // only ever adds steps; it never loosens the error).
    this.proposal_ms = quantizeStep(Math.min(tau_ms * Math.min(MAX_GROWTH, Math.max(MAX_SHRINK, growth)),
      longestAutoStep_ms(this.stabilityLimit_ms, this.reactionLimit_ms),
      Math.max(0.5 * (now_ms - this.lastEvent_ms), FIRST_STEP_MULTIPLE * this.stabilityLimit_ms)));
  }

  /** A release event at time_ms: the solution has sharp features again, so start the step small. */
  restart(time_ms: number): void {
    this.lastEvent_ms = time_ms;
    if (this.mode === 'adaptive') this.proposal_ms = Math.min(this.proposal_ms, FIRST_STEP_MULTIPLE * this.stabilityLimit_ms);
  }
}
