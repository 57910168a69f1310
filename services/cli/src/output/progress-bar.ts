/** Where the bar draws (stderr in the CLI; a string sink in tests). */
export interface BarSink {
  write(s: string): void;
  isTTY?: boolean;
}

/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per 10% otherwise
 * (so logs of a CI run stay readable).
 */
export class ProgressBar {
  private lastDecile = -1;

  constructor(
    private readonly total: number,
    private readonly sink: BarSink,
    private readonly label = '',
  ) {}

  update(done: number): void {
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const pct = Math.floor(frac * 100);
    if (this.sink.isTTY) {
      const width = 30;
      const fill = Math.round(frac * width);
      this.sink.write(`\r${this.label}[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}%`);
      return;
    }
    const decile = Math.floor(pct / 10);
    if (decile !== this.lastDecile) {
      this.lastDecile = decile;
      this.sink.write(`${this.label}${pct}%\n`);
    }
  }

  finish(): void {
    this.update(this.total);
    if (this.sink.isTTY) this.sink.write('\n');
  }
}
