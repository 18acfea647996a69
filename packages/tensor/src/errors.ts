/**
 * Every error xent throws extends {@link XentError}. Messages name the operation, what was
 * given and what was expected, e.g. `matmul: [2, 3] @ [4, 5]: inner dimensions 3 and 4 differ`.
 */
export class XentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that cannot be combined: mismatched, not broadcastable, or the wrong rank. */
export class ShapeError extends XentError {}

/** A dtype an operation does not accept (for example float indices). */
export class DTypeError extends XentError {}

/** An index, axis or class label outside its valid range. */
export class IndexError extends XentError {}

/** A value outside its domain: NaN inputs, probabilities outside [0, 1], negative sizes. */
export class ValueError extends XentError {}

/** Formats a shape the way every message prints it: `[2, 3]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
