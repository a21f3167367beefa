import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const CLIENT_ENTRY = fileURLToPath(new URL("./client/main.tsx", import.meta.url));
const STYLES = fileURLToPath(new URL("./client/styles.css", import.meta.url));

/** One built file of the client: its hashed name (`app-<hash>.js`) and its text. */
export interface ClientFile {
  name: string;
  text: string;
}

/** The client's two files, as the shell names them. */
export interface ClientBuild {
  script: ClientFile;
  styles: ClientFile;
}

function hashed(kind: "js" | "css", text: string): ClientFile {
  const hash = createHash("sha256").update(text).digest("base64url").slice(0, 12);
  return { name: `app-${hash.replace(/[-_]/g, "0")}.${kind}`, text };
}

/**
 * Bundles the Preact client (JSX through esbuild, minified, for browsers of 2020 on) and the
 * stylesheet, in memory. Both names carry a digest of the text, so a browser may keep them for
 * good: a new build has new names.
 */
export async function buildClient(): Promise<ClientBuild> {
  const { build } = await import("esbuild");
  const common = {
    bundle: true,
    write: false,
    minify: true,
    target: "es2020",
    legalComments: "none",
    logLevel: "silent",
  } as const;
  const [script, styles] = await Promise.all([
    build({
      ...common,
      entryPoints: [CLIENT_ENTRY],
      format: "esm",
      jsx: "automatic",
      jsxImportSource: "preact",
      define: { "process.env.NODE_ENV": '"production"' },
    }),
    build({ ...common, entryPoints: [STYLES] }),
  ]);
  return {
    script: hashed("js", script.outputFiles[0]!.text),
    styles: hashed("css", styles.outputFiles[0]!.text),
  };
}
