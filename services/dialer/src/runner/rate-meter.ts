/** Events per second over a sliding window of whole seconds (fixed ring: O(1), bounded). */
export class RateMeter {
  private readonly buckets: Float64Array;
  private readonly secs: Float64Array;

  constructor(private readonly windowSec = 10) {
    this.buckets = new Float64Array(windowSec);
    this.secs = new Float64Array(windowSec).fill(-1);
  }

  mark(now: number, n = 1): void {
    const s = Math.floor(now / 1000);
    const i = s % this.windowSec;
    if (this.secs[i] !== s) {
      this.secs[i] = s;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += n;
  }

  /** Mean rate over the last full `windowSec` seconds (excluding the current one). */
  rate(now: number): number {
    const s = Math.floor(now / 1000);
    let sum = 0;
    for (let i = 0; i < this.windowSec; i++) {
      const sec = this.secs[i]!;
      if (sec < s && sec >= s - (this.windowSec - 1)) sum += this.buckets[i]!;
    }
    return sum / (this.windowSec - 1);
  }
}
