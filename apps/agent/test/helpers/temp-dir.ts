import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A fresh temp directory holding `files` (objects are written as JSON); removed after the test. */
export async function tempDir(files: Record<string, string | object> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "apf-agent-test-"));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(
      join(dir, name),
      typeof content === "string" ? content : JSON.stringify(content, null, 2),
    );
  }
  return dir;
}

/** A well-formed (not minted) agent token for tests. */
export const AGENT_TOKEN = `apf_agent_${"ab".repeat(32)}`;
