/** Most machines one report may carry (agent.md: more is 413). */
export const MAX_MACHINES_PER_REPORT = 1000;
/** Largest report body in bytes (agent.md: more is 413); checked on the raw body by the API. */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/** Most printers one agent may have (agent.md: a report creating more is 409). */
export const MAX_PRINTERS_PER_AGENT = 1000;
/** Earliest time an agent may report: an older clock is broken, and its dates are refused. */
export const EARLIEST_REPORT_DATE = new Date("2000-01-01T00:00:00Z");

/** Most heaters (`toolN`, `bed`, `chamber`) one printer may report. */
export const MAX_HEATERS_PER_PRINTER = 16;
