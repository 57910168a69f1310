/**
 * Shared output for every bench: parse `--quick`, collect figures, and end with one
 * line per figure, `name: value unit` (peers as `name.<peer>: value unit`).
 *
 * @example
 * const r = benchReport('esl'); r.figure('esl_events_per_s', 123456, 'events/s'); r.print();
 */
export interface BenchReport {
  readonly quick: boolean;
  figure(name: string, value: number, unit: string, note?: string): void;
  print(): void;
}

export function benchReport(bench: string, argv: string[] = process.argv.slice(2)): BenchReport {
  const quick = argv.includes('--quick');
  const figures: { name: string; value: number; unit: string; note?: string }[] = [];
  return {
    quick,
    figure(name, value, unit, note) {
      figures.push({ name, value, unit, note });
    },
    print() {
      console.log(`\n# ${bench} (${quick ? 'quick' : 'full'}) on node ${process.version}, ${new Date().toISOString()}`);
      for (const f of figures) if (f.note) console.log(`# ${f.name}: ${f.note}`);
      for (const f of figures) {
        const v = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 3 : 1);
        console.log(`${f.name}: ${v} ${f.unit}`);
      }
    },
  };
}

/** Percentile (0–100) of an unsorted sample, nearest-rank. */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const s = [...sample].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
