import { parseArgs } from "node:util";
import { isHttpUrl } from "@apf/agent-core/machine-identity";
import { AGENT_VERSION } from "@apf/agent-core/version";
import type { Level } from "pino";
import { LOG_LEVELS } from "./logger.ts";
import { pairCommand } from "./pair-command.ts";
import { type CommandIo, runCommand } from "./run-command.ts";

/** Text of `apf-agent --help`. */
export const HELP = `apf-agent ${AGENT_VERSION}: polls OctoPrint hosts on the farm's network and reports them to the backend.

Usage:
  apf-agent run --config <agent.json> [--log-level info]
  apf-agent pair --url <octoprint-url> [--out secret.txt] [--app apf-agent] [--user <name>] [--timeout 300]
  apf-agent --help
  apf-agent --version

Commands:
  run    Poll every machine of the config file and report to api_url until SIGTERM/SIGINT.
         --config      path of agent.json (secret paths in it are relative to it)
         --log-level   ${LOG_LEVELS.join(", ")} (default info); logs are JSON lines on stdout
  pair   Get an OctoPrint API key through OctoPrint's Application Keys workflow and write it
         to a file (mode 0600) for "authentication_file_path". The key is never printed.
         --url         OctoPrint base URL, e.g. http://octopi.local
         --out         key file to write (default secret.txt)
         --app         name shown in OctoPrint's approval dialog (default apf-agent)
         --user        OctoPrint user who may approve (recommended)
         --timeout     seconds to wait for the decision (default 300)

Exit codes: 0 done or stopped cleanly, 1 configuration or pairing failed, 2 bad usage,
3 the backend revoked the agent token (run stops; put a new token in place and start again).
`;

class UsageError extends Error {}

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string; default?: string }>;

function parse(args: string[], options: OptionSpec): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const err = error as { code?: string; message: string };
    const name = /'([^']+)'/.exec(err.message)?.[1];
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION")
      throw new UsageError(`unknown option ${name}`);
    if (err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
      throw new UsageError(`unexpected argument ${name}`);
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE")
      throw new UsageError(err.message.split(".")[0] ?? err.message);
    throw new UsageError(err.message);
  }
}

function requireString(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`missing --${name}`);
  return value;
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError("missing command");
  if (command === "--help" || command === "-h" || command === "help") {
    io.stdout.write(HELP);
    return 0;
  }
  if (command === "--version" || command === "-v") {
    io.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const help = { help: { type: "boolean", short: "h" } } as const;
  if (command === "run") {
    const values = parse(rest, {
      ...help,
      config: { type: "string", short: "c" },
      "log-level": { type: "string", default: "info" },
    });
    if (values.help) return dispatch(["--help"], io);
    const config = requireString(values, "config");
    const logLevel = values["log-level"] as string;
    if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
      throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(", ")}`);
    }
    return runCommand({ config, logLevel: logLevel as Level | "silent" }, io);
  }
  if (command === "pair") {
    const values = parse(rest, {
      ...help,
      url: { type: "string" },
      out: { type: "string", default: "secret.txt" },
      app: { type: "string", default: "apf-agent" },
      user: { type: "string" },
      timeout: { type: "string", default: "300" },
    });
    if (values.help) return dispatch(["--help"], io);
    const url = requireString(values, "url");
    if (!isHttpUrl(url)) throw new UsageError("--url must be an http:// or https:// URL");
    const timeoutS = Number(values.timeout);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0)
      throw new UsageError("--timeout must be a positive number of seconds");
    const app = requireString(values, "app");
    const out = requireString(values, "out");
    const user =
      typeof values.user === "string" && values.user.trim() !== "" ? values.user.trim() : undefined;
    return pairCommand({ url, out, app, timeoutS, ...(user ? { user } : {}) }, io);
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}`);
}

/**
 * The CLI without process globals: parses `argv` (without node and script), runs the command
 * and returns the exit code. Usage errors are one line on stderr and exit code 2.
 */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`apf-agent: ${error.message} (see apf-agent --help)\n`);
    return 2;
  }
}
