/**
 * NumPy's `repr` of an array (NumPy ≥ 1.14 defaults: precision 8, line width 75, arrays of
 * more than 1000 elements summarised with 3 edge items per axis), e.g.
 * `array([[1., 2.],\n       [3., 4.]], dtype=float32)`. As in NumPy the dtype is omitted for
 * float64 (NumPy's default float); int32 and float32 always name theirs.
 */
import type { DType } from './dtype.js';
import type { NDArray } from './ndarray.js';

const LINE_WIDTH = 75;
const SUMMARY_THRESHOLD = 1000;
const EDGE_ITEMS = 3;
/** Most fractional digits printed (NumPy's `precision`). */
const PRECISION = 8;
const PREFIX = 'array(';

/** NumPy's `repr` of `array`. */
export function formatNDArray(array: NDArray): string {
  const showDType = array.dtype !== 'float64';
  const suffix = showDType ? ',' : ')';
  let body: string;
  if (array.size === 0) body = array.ndim === 1 ? '[]' : `[], shape=(${array.shape.join(', ')})`;
  else {
    const summarize = array.size > SUMMARY_THRESHOLD;
    const format = formatterFor(shownValues(array, summarize), array.dtype);
    body = formatNested(array, format, summarize, LINE_WIDTH - suffix.length);
  }
  const text = `${PREFIX}${body}${suffix}`;
  if (!showDType) return text;
  // Like NumPy, move the dtype to its own line when it would overflow the last one.
  const dtypeText = `dtype=${array.dtype})`;
  const lastLine = text.length - (text.lastIndexOf('\n') + 1);
  const spacer = lastLine + dtypeText.length + 1 > LINE_WIDTH ? `\n${' '.repeat(PREFIX.length)}` : ' ';
  return text + spacer + dtypeText;
}

/** The elements that will be printed (the edges only, when summarising). */
function shownValues(array: NDArray, summarize: boolean): number[] {
  const values: number[] = [];
  const index: number[] = [];
  const visit = (axis: number): void => {
    if (axis === array.ndim) {
      values.push(array.get(...index));
      return;
    }
    for (const i of indicesToShow(array.shape[axis], summarize)) {
      if (i < 0) continue;
      index.push(i);
      visit(axis + 1);
      index.pop();
    }
  };
  visit(0);
  return values;
}

/** The indices printed along an axis of size `dim`; -1 marks the elided middle. */
function indicesToShow(dim: number, summarize: boolean): number[] {
  if (!summarize || dim <= 2 * EDGE_ITEMS) return Array.from({ length: dim }, (_, i) => i);
  const head = Array.from({ length: EDGE_ITEMS }, (_, i) => i);
  const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => dim - EDGE_ITEMS + i);
  return [...head, -1, ...tail];
}

/**
 * NumPy's `_formatArray`: rows of the last axis wrap at the line width with a hanging
 * indent under the first element; outer axes separate their blocks with ndim − 1 newlines.
 */
function formatNested(
  array: NDArray,
  format: (value: number) => string,
  summarize: boolean,
  lineWidth: number,
): string {
  const index: number[] = [];
  const recurse = (hangingIndent: string, width: number): string => {
    const axis = index.length;
    if (axis === array.ndim) return format(array.get(...index));
    const nested = (i: number): string => {
      index.push(i);
      const text = recurse(`${hangingIndent} `, width - 1);
      index.pop();
      return text;
    };
    const shown = indicesToShow(array.shape[axis], summarize);
    let text = '';
    if (axis === array.ndim - 1) {
      // Leave room for the separator or closing bracket after each element.
      const elementWidth = width - 1;
      let line = hangingIndent;
      shown.forEach((i, position) => {
        const word = i < 0 ? '...' : nested(i);
        if (line.length + word.length > elementWidth && line.length > hangingIndent.length) {
          text += `${line.trimEnd()}\n`;
          line = hangingIndent;
        }
        line += word;
        if (position < shown.length - 1) line += ', ';
      });
      text += line;
    } else {
      const separator = `,${'\n'.repeat(array.ndim - axis - 1)}`;
      text = shown.map((i) => hangingIndent + (i < 0 ? '...' : nested(i))).join(separator);
    }
    return `[${text.slice(hangingIndent.length)}]`;
  };
  return recurse(' '.repeat(PREFIX.length + 1), lineWidth);
}

/** A function printing every element at one common width, chosen from all shown values. */
function formatterFor(values: number[], dtype: DType): (value: number) => string {
  if (dtype === 'int32') {
    const width = Math.max(...values.map((v) => String(v).length));
    return (value) => String(value).padStart(width);
  }
  const finite = values.filter(Number.isFinite);
  const magnitudes = finite.filter((v) => v !== 0).map(Math.abs);
  const largest = Math.max(0, ...magnitudes);
  const smallest = Math.min(Number.POSITIVE_INFINITY, ...magnitudes);
  // NumPy switches to scientific notation for huge values, tiny ones, or a wide range.
  const scientific = magnitudes.length > 0 && (largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1e3);
  let padLeft = 0;
  let padRight = 0;
  let fractionDigits = 0;
  let exponentDigits = 0;
  if (finite.length > 0 && scientific) {
    const parts = finite.map((v) => scientificParts(v, dtype));
    fractionDigits = Math.max(...parts.map((p) => p.fraction.length));
    exponentDigits = Math.max(...parts.map((p) => p.exponent.length - 1));
    padLeft = Math.max(...parts.map((p) => p.integer.length));
    padRight = exponentDigits + 2 + fractionDigits;
  } else if (finite.length > 0) {
    const parts = finite.map((v) => positionalDigits(v, dtype).split('.'));
    padLeft = Math.max(...parts.map((p) => p[0].length));
    padRight = Math.max(...parts.map((p) => p[1].length));
  }
  if (finite.length < values.length) {
    // Room for 'nan' and 'inf' (or '-inf') in the integer-and-point columns.
    const negativeInfinity = values.some((v) => v === Number.NEGATIVE_INFINITY) ? 1 : 0;
    padLeft = Math.max(padLeft, 3 + negativeInfinity - (padRight + 1));
  }
  return (value) => {
    if (!Number.isFinite(value)) {
      const word = Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
      return word.padStart(padLeft + padRight + 1);
    }
    if (scientific) {
      const { integer, fraction, exponent } = scientificParts(value, dtype);
      const sign = exponent[0];
      const paddedExponent = sign + exponent.slice(1).padStart(exponentDigits, '0');
      return `${integer.padStart(padLeft)}.${fraction.padEnd(fractionDigits, '0')}e${paddedExponent}`;
    }
    const [integer, fraction] = positionalDigits(value, dtype).split('.');
    return `${integer.padStart(padLeft)}.${fraction.padEnd(padRight)}`;
  };
}

/**
 * Positional text of `value` (0 or within [1e-4, 1e8)): the shortest digits that read back
 * as `value` in its dtype (so float32 0.1 prints `0.1`), rounded to at most
 * {@link PRECISION} fractional digits, always with a point (`3.`).
 */
function positionalDigits(value: number, dtype: DType): string {
  let text = dtype === 'float32' ? String(Number(value.toPrecision(float32Precision(value)))) : String(value);
  const point = text.indexOf('.');
  if (point >= 0 && text.length - point - 1 > PRECISION) {
    text = value.toFixed(PRECISION).replace(/0+$/, '');
  }
  if (!text.includes('.')) text += '.';
  return Object.is(value, -0) ? `-${text}` : text;
}

/** Scientific parts of `value`: shortest mantissa (at most {@link PRECISION} fraction digits), exponent `±dd`. */
function scientificParts(
  value: number,
  dtype: DType,
): { integer: string; fraction: string; exponent: string } {
  let text = dtype === 'float32' ? value.toExponential(float32Precision(value) - 1) : value.toExponential();
  if (text.indexOf('e') - text.indexOf('.') - 1 > PRECISION && text.includes('.')) {
    text = value.toExponential(PRECISION);
  }
  const [mantissa, exponent] = text.split('e');
  const [integer, fraction = ''] = mantissa.split('.');
  return {
    integer: Object.is(value, -0) ? `-${integer}` : integer,
    fraction: fraction.replace(/0+$/, ''),
    exponent: (exponent.startsWith('-') ? '-' : '+') + exponent.replace(/^[+-]/, '').padStart(2, '0'),
  };
}

/** Fewest significant digits (1..9) that identify a float32 value exactly. */
function float32Precision(value: number): number {
  for (let digits = 1; digits < 9; digits++) {
    if (Math.fround(Number(value.toPrecision(digits))) === value) return digits;
  }
  return 9;
}
