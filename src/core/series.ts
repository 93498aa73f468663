// Time series that grow without reallocating on every sample (capacity doubles).

/** Samples of several named columns at common times (ms). */
export class TimeSeries {
  private times = new Float64Array(0);
  private columns: Float64Array[];
  /** Number of samples recorded. */
  length = 0;

  constructor(readonly names: readonly string[], capacity = 1024) {
    this.times = new Float64Array(capacity);
    this.columns = names.map(() => new Float64Array(capacity));
  }

  /** Appends one sample; values in the order of names. */
  push(time_ms: number, values: ArrayLike<number>): void {
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
    const capacity = Math.max(16, this.times.length * 2);
    const widen = (array: Float64Array) => {
      const wider = new Float64Array(capacity);
      wider.set(array);
      return wider;
    };
    this.times = widen(this.times);
    this.columns = this.columns.map(widen);
  }
}
