// The package's error: a stable `code` and a message in English (shared by the page's side and the
// worker's, so that neither loads the other).

/** A failure with a stable `code` (what a program branches on) and a message in English. */
export class LoyaltyError extends Error {
  constructor(code, message, columns) {
    super(message);
    this.name = 'LoyaltyError';
    this.code = code;
    if (columns?.length) this.columns = columns;
  }
}
