import pkg from "../package.json" with { type: "json" };

/** The agent's version, from its package.json; sent with every report. */
export const AGENT_VERSION: string = pkg.version;
