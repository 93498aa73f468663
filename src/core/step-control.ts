// The step-size control of dt "auto": which step to try next, and whether a tried step's error is
// small enough. Simulation takes the steps; this decides their length.

import type { ResolvedConfig } from './config.js';
import { MAX_STAGES, stableMultiple } from './rkl2.js';
import { stabilityLimit_ms } from './stability.js';
import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K } from './units.js';

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
  return Math.min(pumpStepLimit_ms(config), gliaStepLimit_ms(config, glialRate_mM_per_ms));
}

function pumpStepLimit_ms(config: ResolvedConfig): number {
  const { vmax_mM_per_ms, km_mM } = config.uptake.pump;
  const rest = config.species.baseline_mM;
  return vmax_mM_per_ms > 0 ? config.accuracy.relative_tolerance ** (1 / 3) * smallestAlpha(config) * (km_mM + rest) ** 2 / (vmax_mM_per_ms * km_mM) : Infinity;
}

function gliaStepLimit_ms(config: ResolvedConfig, glialRate_mM_per_ms: number): number {
  const rest = config.species.baseline_mM;
  return glialRate_mM_per_ms > 0 ? Math.sqrt(config.accuracy.relative_tolerance) * smallestAlpha(config) * Math.max(rest, 1e-3) / glialRate_mM_per_ms : Infinity;
}

function smallestAlpha(config: ResolvedConfig): number {
  return Math.min(config.tissue.alpha, ...config.tissue.regions.map((region) => region.alpha));
}

/** The longest step dt "auto" takes (ms): MAX_STAGES stages with a 10% margin, or less where a split reaction bounds it. */
function longestAutoStep_ms(stabilityLimit: number, reactionLimit: number): number {
  return Math.min(stabilityLimit * stableMultiple(MAX_STAGES) / 1.1, reactionLimit);
}

/** The most steps a run may take (a run to duration_ms, or a runTo): more is refused before it starts. */
export const MAX_STEPS = 1e7;

/**
 * The glial buffering rate G = g RT/F² of the config's conductance g (mM/ms): the flux per tissue
 * volume is G (ln C − mean ln C).
 */
export function glialRate_mM_per_ms(config: ResolvedConfig): number {
  const kelvin = config.temperature_C + ZERO_CELSIUS_K;
  return (config.uptake.glia.conductance_S_per_m3 * GAS_CONSTANT_J_PER_MOL_K * kelvin) / FARADAY_C_PER_MOL ** 2 * 1e-3;
}

/**
 * The fewest steps a config can take to simulate span_ms: span / dt_ms when fixed, else span over
 * the longest step of dt "auto" (the error control takes at least as many); and at least one per
 * release of a repeating bolus, since every release ends a step. Infinity for a step of 0.
 */
export function fewestSteps(config: ResolvedConfig, span_ms: number): number {
  return stepBound(config, span_ms).steps;
}

/** What sets the fewest steps: the field to change, why it sets them, and how to take fewer. */
export interface StepBound {
  steps: number;
  field: string;
  value: number;
  reason: string;
  remedy: string;
}

/**
 * fewestSteps with its cause (for the message that refuses a run over the budget). withGlia false
 * leaves out the glial step limit, which depends on how long a run goes on (the page and the
 * element run "until paused", duration_ms 1e8): runTo checks it for the span it is asked for.
 */
export function stepBound(config: ResolvedConfig, span_ms: number, withGlia = true): StepBound {
  let bound: StepBound;
  if (config.dt_ms !== 'auto') {
    bound = { steps: Math.ceil(span_ms / config.dt_ms), field: 'dt_ms', value: config.dt_ms, reason: 'duration_ms / dt_ms',
      remedy: 'a larger dt_ms, or "auto"' };
  } else {
    const stable_ms = longestAutoStep_ms(stabilityLimit_ms(config), Infinity);
    const pump_ms = pumpStepLimit_ms(config), glia_ms = withGlia ? gliaStepLimit_ms(config, glialRate_mM_per_ms(config)) : Infinity;
    const longest_ms = Math.min(stable_ms, pump_ms, glia_ms);
    const steps = Math.ceil(span_ms / longest_ms);
    const split = (field: string, value: number, name: string): StepBound => ({ steps, field, value,
      reason: `duration_ms over the longest step at which the split ${name} stays within accuracy.relative_tolerance`,
      remedy: `a smaller ${field.split('.').at(-1)} or a larger accuracy.relative_tolerance` });
    bound = longest_ms === stable_ms
      ? { steps, field: 'grid.spacing_um', value: config.grid.spacing_um, reason: 'duration_ms over the longest stable step with this spacing and tissue', remedy: 'a larger grid.spacing_um' }
      : longest_ms === pump_ms ? split('uptake.pump.vmax_mM_per_ms', config.uptake.pump.vmax_mM_per_ms, 'pump')
        : split('uptake.glia.conductance_S_per_m3', config.uptake.glia.conductance_S_per_m3, 'glial buffering');
  }
  let releases = 0, most = 0, mostAt = -1;
  config.sources.forEach((source, index) => {
    if (source.type !== 'bolus' || !(source.period_ms > 0) || source.time_ms > span_ms) return;
    const count = Math.floor((span_ms - source.time_ms) / source.period_ms) + 1;
    releases += count;
    if (count > most) [most, mostAt] = [count, index];
  });
  if (releases <= bound.steps) return bound;
  const source = config.sources[mostAt] as { period_ms: number };
  return { steps: releases, field: `sources[${mostAt}].period_ms`, value: source.period_ms,
    reason: 'one step per release of the repeating boluses, each ending a step', remedy: 'a longer period_ms' };
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
