// A one-line progress bar with ETA on stderr, drawn only on a terminal.

export class ProgressBar {
  private readonly started = performance.now();
  private readonly enabled: boolean;

  constructor(private readonly total: number, private readonly label: string, stream = process.stderr) {
    this.enabled = Boolean(stream.isTTY) && total > 0;
    this.stream = stream;
  }

  private readonly stream: NodeJS.WriteStream;

  /** Redraws the bar for done of total. */
  update(done: number): void {
    if (!this.enabled) return;
    const width = 28;
    const filled = Math.round((width * done) / this.total);
    const elapsed_s = (performance.now() - this.started) / 1000;
    const eta = done > 0 ? formatSeconds((elapsed_s / done) * (this.total - done)) : '…';
    this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}` +
      `  elapsed ${formatSeconds(elapsed_s)}  ETA ${eta} \x1b[K`);
  }

  /** Clears the line. */
  finish(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(0)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
