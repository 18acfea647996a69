/** Whether operations record a graph. Off inside {@link noGrad}, on inside {@link enableGrad}. */
let gradEnabled = true;

/** True when new operations are recorded for backward. */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording anything: results have no `gradFn` and `requiresGrad` false.
 * The mode is a plain flag restored when `fn` returns, so `fn` should be synchronous: the
 * code after an `await` inside an async `fn` runs in whatever mode is current by then.
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, even inside {@link noGrad} (synchronous `fn`, as there). */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
