// Time series that grow without reallocating on every sample (capacity doubles), up to a bound:
// past it the series thins itself, so a run of 10 million steps does not need gigabytes.

/**
 * The samples of one column that a thinning must keep at full resolution, as indices into the
 * recorded part (e.g. its peak and where it first falls to half the peak).
 */
export type Landmarks = (times: Float64Array, values: Float64Array) => number[];

/**
 * Samples kept on each side of a landmark. The read-outs use at most the 2 samples either side of
 * a peak (local quartic) and the 4 around a crossing (local cubic): 4 keeps those windows whole.
 */
export const LANDMARK_REACH = 4;

/** Samples of several named columns at common times (ms). */
export class TimeSeries {
  private times = new Float64Array(0);
  private columns: Float64Array[];
  /** Number of samples recorded. */
  length = 0;
  /** How many times the series has thinned itself (0: every sample pushed is here). */
  thinnings = 0;

  /**
   * maxSamples: when this many are held, every second sample is dropped, except the first, the
   * last and those within LANDMARK_REACH of a landmark of any column (default: no bound).
   */
  constructor(
    readonly names: readonly string[], capacity = 1024, readonly maxSamples = Infinity,
    private readonly landmarks: Landmarks = () => [],
  ) {
    this.times = new Float64Array(Math.min(capacity, maxSamples));
    this.columns = names.map(() => new Float64Array(this.times.length));
  }

  /** Appends one sample; values in the order of names. */
  push(time_ms: number, values: ArrayLike<number>): void {
    if (this.length >= this.maxSamples) this.thin();
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = time_ms;
    for (let c = 0; c < this.columns.length; c++) this.columns[c][this.length] = values[c];
    this.length++;
  }

  /** Sample times (ms), a view of the recorded part. */
  time_ms(): Float64Array {
    return this.times.subarray(0, this.length);
  }

  /** One column, a view of the recorded part. */
  column(index: number): Float64Array {
    return this.columns[index].subarray(0, this.length);
  }

  private grow(): void {
    const capacity = Math.min(Math.max(16, this.times.length * 2), this.maxSamples);
    const widen = (array: Float64Array) => {
      const wider = new Float64Array(capacity);
      wider.set(array);
      return wider;
    };
    this.times = widen(this.times);
    this.columns = this.columns.map(widen);
  }

  /** Drops every second sample that is not the first, the last or near a landmark; compacts in place. */
  private thin(): void {
    const count = this.length;
    const keep = new Uint8Array(count);
    for (let s = 0; s < count; s += 2) keep[s] = 1;
    keep[count - 1] = 1;
    const times = this.time_ms();
    for (let c = 0; c < this.columns.length; c++) {
      for (const landmark of this.landmarks(times, this.column(c))) {
        for (let s = Math.max(0, landmark - LANDMARK_REACH); s <= Math.min(count - 1, landmark + LANDMARK_REACH); s++) keep[s] = 1;
      }
    }
    let kept = 0;
    for (let s = 0; s < count; s++) {
      if (!keep[s]) continue;
      this.times[kept] = this.times[s];
      for (const column of this.columns) column[kept] = column[s];
      kept++;
    }
    this.length = kept;
    this.thinnings++;
  }
}
