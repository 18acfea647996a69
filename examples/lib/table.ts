/**
 * A results table printed as Markdown (aligned columns), so a run's table can be pasted into
 * RESULTS.md or a README as is.
 */

/** One row: column name → a number (formatted with `digits` decimals) or text. */
export type Row = Record<string, number | string>;

/**
 * The rows as a Markdown table with the columns of the first row, numbers right-aligned and
 * shown with `digits` decimals (default 4; integers as they are); `title`, when given, is a line above it.
 */
export function formatTable(rows: readonly Row[], options: { title?: string; digits?: number } = {}): string {
  if (rows.length === 0) return options.title ?? '';
  const digits = options.digits ?? 4;
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) =>
    columns.map((column) => {
      const value = row[column];
      if (typeof value !== 'number') return escapePipes(value ?? '');
      return Number.isInteger(value) ? String(value) : value.toFixed(digits);
    }),
  );
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] === 'number'));
  const headers = columns.map(escapePipes);
  const widths = headers.map((header, j) => Math.max(header.length, 3, ...cells.map((row) => row[j].length)));
  const line = (values: string[]) =>
    `| ${values.map((value, j) => (numeric[j] ? value.padStart(widths[j]) : value.padEnd(widths[j]))).join(' | ')} |`;
  const rule = `|${widths.map((w, j) => (numeric[j] ? `${'-'.repeat(w + 1)}:` : `${'-'.repeat(w + 2)}`)).join('|')}|`;
  const lines = [line(headers), rule, ...cells.map(line)];
  return [...(options.title ? [`\n${options.title}`] : []), ...lines].join('\n');
}

/** A cell's text with Markdown's column separator escaped. */
function escapePipes(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** Prints {@link formatTable} to stdout. */
export function printTable(rows: readonly Row[], options: { title?: string; digits?: number } = {}): void {
  console.log(formatTable(rows, options));
}
