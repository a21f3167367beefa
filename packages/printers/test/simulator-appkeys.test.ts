import { afterEach, describe, expect, it } from "vitest";
import { appKeysAuthResponseSchema, appKeysKeyResponseSchema } from "../src/octoprint/schemas.ts";
import {
  PAIRING_STALE_MS,
  type SimulatedFarm,
  type SimulatedPrinter,
  startSimulatedFarm,
} from "../src/simulator/index.ts";

let clock = 1_800_000_000_000;
const now = () => clock;
let farm: SimulatedFarm | undefined;

afterEach(async () => {
  await farm?.close();
  farm = undefined;
});

async function start(autoApprovePairing = false): Promise<SimulatedPrinter> {
  farm = await startSimulatedFarm({ count: 1, apiKey: "ORIGINAL", now, autoApprovePairing });
  return farm.printers[0] as SimulatedPrinter;
}

async function request(p: SimulatedPrinter, body: unknown = { app: "APF agent" }) {
  const res = await fetch(`${p.url}/plugin/appkeys/request`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return res;
}

async function poll(location: string) {
  const res = await fetch(location);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

describe("Application Keys workflow of the simulator", () => {
  it("probes with 204 without a key", async () => {
    const p = await start();
    expect((await fetch(`${p.url}/plugin/appkeys/probe`)).status).toBe(204);
  });

  it("grants a working key after approval: 201 + Location, 202 while pending, then 200", async () => {
    const p = await start();
    const res = await request(p);
    expect(res.status).toBe(201);
    const { app_token } = appKeysAuthResponseSchema.parse(await res.json());
    const location = res.headers.get("location") ?? "";
    expect(location).toBe(`${p.url}/plugin/appkeys/request/${app_token}`);

    expect((await poll(location)).status).toBe(202);
    expect(p.pendingPairings()).toBe(1);
    p.approvePairing();
    const granted = await poll(location);
    expect(granted.status).toBe(200);
    const { api_key } = appKeysKeyResponseSchema.parse(granted.body);

    const version = await fetch(`${p.url}/api/version`, { headers: { "X-Api-Key": api_key } });
    expect(version.status).toBe(200);
    // the key is handed out once; the request is gone afterwards
    expect((await poll(location)).status).toBe(404);
  });

  it("answers 404 after a denial", async () => {
    const p = await start();
    const res = await request(p, { app: "APF agent", user: "me" });
    const location = res.headers.get("location") ?? "";
    p.denyPairing();
    expect((await poll(location)).status).toBe(404);
    expect(p.pendingPairings()).toBe(0);
  });

  it("drops a request nobody polls for more than 5 s", async () => {
    const p = await start();
    const location = (await request(p)).headers.get("location") ?? "";
    clock += PAIRING_STALE_MS + 1;
    p.approvePairing();
    expect((await poll(location)).status).toBe(404);
  });

  it("grants at once with autoApprovePairing", async () => {
    const p = await start(true);
    const location = (await request(p)).headers.get("location") ?? "";
    const granted = await poll(location);
    expect(granted.status).toBe(200);
    expect(typeof granted.body.api_key).toBe("string");
  });

  it("rejects a request without app with 400 and an unknown token with 404", async () => {
    const p = await start();
    expect((await request(p, { user: "me" })).status).toBe(400);
    expect((await poll(`${p.url}/plugin/appkeys/request/nope`)).status).toBe(404);
  });
});
