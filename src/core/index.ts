// The ecs-sim core API: pure TypeScript, no DOM; the same in Node and in browsers.
export { Simulation, SimulationError, type SimulationOptions, type MassLedger, type SteppingStatistics, type StepSchedule } from './simulation.js';
export { resolveConfig, stepBudgetIssue, DEFAULTS, FACE_NAMES } from './config.js';
export type {
  ResolvedConfig, RegionConfig, ShapeGeometry, SourceConfig, ProbeConfig, Vector3, Axis, BoundaryType, FaceName,
} from './config.js';
export { ConfigError, type ConfigIssue } from './config-error.js';
export { stabilityLimit_ms } from './stability.js';
export { MAX_STEPS, fewestSteps } from './step-control.js';
export { rkl2Plan, stagesFor, stableMultiple, MAX_STAGES, type Rkl2Plan, type Rkl2Stage } from './rkl2.js';
export { chooseKernelPath, kernelMemoryBytes, MAX_KERNEL_MEMORY_BYTES, type KernelPath } from './memory-plan.js';
export { compileKernel, instantiateKernel, DEFAULT_KERNEL_URL, type KernelExports } from './kernel.js';
export { probeMetrics, excessClearance, peakOf, type ProbeMetrics, type ExcessClearance } from './metrics.js';
export {
  pointSourceExcess_mM, pointSourcePeak, constantSourceExcess_mM, pulseSourceExcess_mM,
  effectiveDiffusion_um2_per_ms, type Medium,
} from './analytic.js';
export { erfc, expTimesErfc } from './special-functions.js';
export * from './electrochemistry.js';
export { PRESETS, findPreset, applyPreset, withTissue, type Preset } from './presets.js';
export { fitPowerLaw, type PowerLaw } from './scaling.js';
export * from './units.js';
export { fitRti, fitAgarose, rtiModel_mM, parseCurveCsv, CurveError, FitError, RTI_BOUNDS, AGAROSE_BOUNDS, EXPERIMENT_RANGES, rangeProblem, checkExperiment, type RtiExperiment, type RtiFit, type AgaroseFit, type FittedValue } from './fit.js';
export { runWithTimeError, checkGrid, type Readouts, type ProbeReadouts, type RunWithTimeError, type GridCheck } from './error-estimates.js';
export { LiveTimeError } from './live-time-error.js';
/** The exact semi-discrete lattice solution (Bessel products, box images, constant-source quadrature): the yardstick of the time error. */
export * as lattice from './lattice-solution.js';
