/** Where progress goes: a TTY redraws one line; anything else gets a line per 10 %. */
export type ProgressStream = { isTTY?: boolean; write(chunk: string): unknown };

/**
 * One progress line: a 20-cell bar, the percentage and the counts.
 * @example progressLine('export', 4500, 10000) // → 'export [#########-----------] 45% 4,500/10,000'
 */
export function progressLine(label: string, done: number, total: number): string {
  const ratio = total <= 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * 20);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${Math.floor(ratio * 100)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
}

/**
 * A progress reporter for the CLI, on stderr so stdout stays the data: a bar redrawn in place on a
 * terminal, or a plain line at each further 10 % when stderr is a file or pipe (logs, CI).
 */
export function createProgress(label: string, stream: ProgressStream = process.stderr) {
  let lastStep = -1;
  let drawn = false;
  return {
    update(done: number, total: number): void {
      if (stream.isTTY) {
        stream.write(`\r${progressLine(label, done, total)}`);
        drawn = true;
        return;
      }
      const step = total <= 0 ? 10 : Math.floor((Math.min(done, total) / total) * 10);
      if (step > lastStep) {
        lastStep = step;
        stream.write(`${progressLine(label, done, total)}\n`);
      }
    },
    /** Ends the redrawn line so what follows starts on its own. */
    finish(): void {
      if (drawn) stream.write('\n');
      drawn = false;
    },
  };
}
