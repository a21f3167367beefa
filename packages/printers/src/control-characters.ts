/**
 * Control characters no report string may carry, in values or keys, however deep (OctoPrint's
 * own bodies included): NUL cannot be stored in Postgres text, and the others are never text a
 * printer means. Tab, line feed and carriage return stay allowed (multi-line error messages).
 */
export const FORBIDDEN_CONTROL = /[^\P{Cc}\t\n\r]/u;
