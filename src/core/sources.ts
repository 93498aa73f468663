// Release schedules: how much each source releases during a step, and into which voxels.

import type { ResolvedConfig, SourceConfig } from './config.js';
import { forEachVoxelInside, alphaAt } from './tissue.js';
import { trilinearStencil } from './trilinear.js';
import { iontophoresisRate_mol_per_ms, MOL_PER_UM3_PER_MM } from './units.js';

/** A source ready to step: voxel indices, the share of the release each takes, and its timing. */
export interface ScheduledSource {
  config: SourceConfig;
  indices: Int32Array;
  /** Share of the released amount each voxel receives, divided by that voxel's α. */
  sharePerAlpha: Float64Array;
  /** Amount (mol) released during [t0_ms, t1_ms). */
  amountDuring_mol(t0_ms: number, t1_ms: number): number;
  /** True for instantaneous releases (a bolus), false for releases at a rate. */
  impulsive: boolean;
  /** Amount (mol) an instantaneous release sets free at exactly t_ms (0 for releases at a rate). */
  impulseAt_mol(t_ms: number): number;
  /** The first time (ms) after t_ms at which the release starts, stops or happens; Infinity if none. */
  nextEventAfter(t_ms: number): number;
}

/** Times closer than this (relative to their size, or 1e-9 ms) are the same time. */
export function sameTime(a_ms: number, b_ms: number): boolean {
  if (!Number.isFinite(a_ms) || !Number.isFinite(b_ms)) return a_ms === b_ms;
  return Math.abs(a_ms - b_ms) <= 1e-9 * Math.max(1, Math.abs(a_ms), Math.abs(b_ms));
}

/** The first of time_ms + k·period_ms (k = 0, 1, …; only k = 0 if period is 0) after t_ms, or Infinity. */
function nextRelease(t_ms: number, time_ms: number, period_ms: number): number {
  if (time_ms > t_ms && !sameTime(time_ms, t_ms)) return time_ms;
  if (period_ms <= 0) return Infinity;
  let k = Math.max(0, Math.floor((t_ms - time_ms) / period_ms));
  while (time_ms + k * period_ms <= t_ms || sameTime(time_ms + k * period_ms, t_ms)) k++;
  return time_ms + k * period_ms;
}

/** The first of start_ms and start_ms + duration_ms after t_ms, or Infinity. */
function nextSwitch(t_ms: number, start_ms: number, duration_ms: number): number {
  for (const switch_ms of [start_ms, start_ms + duration_ms]) {
    if (switch_ms > t_ms && !sameTime(switch_ms, t_ms)) return switch_ms;
  }
  return Infinity;
}

function overlap_ms(t0: number, t1: number, start: number, duration: number): number {
  return Math.max(0, Math.min(t1, start + duration) - Math.max(t0, start));
}

/**
 * Number of release times time_ms + k·period_ms (k = 0, 1, …; only k = 0 if period is 0) in
 * [t0, t1), where a release within sameTime of an end counts as at it: the same rule as the step
 * ends of nextRelease, so a release is never late or lost whatever the period's size.
 */
export function releasesDuring(t0: number, t1: number, time_ms: number, period_ms: number): number {
  if (period_ms <= 0) return atOrAfter(time_ms, t0) && !atOrAfter(time_ms, t1) ? 1 : 0;
  return firstReleaseAtOrAfter(t1, time_ms, period_ms) - firstReleaseAtOrAfter(t0, time_ms, period_ms);
}

function atOrAfter(a_ms: number, b_ms: number): boolean {
  return a_ms > b_ms || sameTime(a_ms, b_ms);
}

/** The smallest k ≥ 0 with time_ms + k·period_ms at or after t_ms (the estimate is off by at most one). */
function firstReleaseAtOrAfter(t_ms: number, time_ms: number, period_ms: number): number {
  let k = Math.max(0, Math.ceil((t_ms - time_ms) / period_ms));
  while (k > 0 && atOrAfter(time_ms + (k - 1) * period_ms, t_ms)) k--;
  while (!atOrAfter(time_ms + k * period_ms, t_ms)) k++;
  return k;
}

/** Counts the voxels whose centre lies inside a region source (0 means it would release nothing). */
export function regionVoxelCount(source: SourceConfig & { type: 'region' }, config: ResolvedConfig): number {
  let count = 0;
  forEachVoxelInside(source, config.grid.size, config.grid.spacing_um, () => count++);
  return count;
}

/** Builds every source of the config. */
export function scheduleSources(config: ResolvedConfig): ScheduledSource[] {
  const { size, spacing_um } = config.grid;
  const voxelVolume_um3 = spacing_um ** 3;
  return config.sources.map((source) => {
    let indices: Int32Array;
    let shares: Float64Array;
    let amountDuring_mol: (t0: number, t1: number) => number;
    const nextEventAfter = source.type === 'bolus'
      ? (t: number) => nextRelease(t, source.time_ms, source.period_ms)
      : (t: number) => nextSwitch(t, source.start_ms, source.duration_ms);
    if (source.type === 'region') {
      const list: number[] = [];
      forEachVoxelInside(source, size, spacing_um, (index) => list.push(index));
      indices = Int32Array.from(list);
      shares = new Float64Array(list.length).fill(1 / Math.max(1, list.length));
      const total_mol_per_ms = source.rate_mM_per_ms * list.length * voxelVolume_um3 * MOL_PER_UM3_PER_MM;
      amountDuring_mol = (t0, t1) => total_mol_per_ms * overlap_ms(t0, t1, source.start_ms, source.duration_ms);
    } else {
      const stencil = trilinearStencil(source.position_um, size, spacing_um);
      indices = stencil.indices;
      shares = stencil.weights;
      if (source.type === 'bolus') {
        amountDuring_mol = (t0, t1) => source.amount_mol * releasesDuring(t0, t1, source.time_ms, source.period_ms);
      } else {
        const rate = iontophoresisRate_mol_per_ms(source.current_nA, source.transport_number, config.species.valence);
        amountDuring_mol = (t0, t1) => rate * overlap_ms(t0, t1, source.start_ms, source.duration_ms);
      }
    }
    const sharePerAlpha = shares.map((share, m) => {
      const p = indices[m];
      const i = p % size[0], j = Math.floor(p / size[0]) % size[1], k = Math.floor(p / (size[0] * size[1]));
      return share / alphaAt(config, i, j, k);
    });
    const impulseAt_mol = source.type === 'bolus'
      ? (t: number) => {
        const k = source.period_ms > 0 ? Math.max(0, Math.round((t - source.time_ms) / source.period_ms)) : 0;
        return sameTime(source.time_ms + k * source.period_ms, t) ? source.amount_mol : 0;
      }
      : () => 0;
    return {
      config: source, indices, sharePerAlpha, amountDuring_mol, impulsive: source.type === 'bolus', impulseAt_mol, nextEventAfter,
    };
  });
}
