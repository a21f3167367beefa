/** A JSON body a test reshapes freely (deleting, renaming and mistyping fields on purpose). */
// biome-ignore lint/suspicious/noExplicitAny: tests poke arbitrary fields of OctoPrint bodies
export type Loose = any;
