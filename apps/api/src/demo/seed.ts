import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALL_READ_SCOPES, hashPassword, mintToken, type Scope } from "@apf/auth";
import type { Database } from "@apf/db";
import { filamentSpools, printers, skus } from "@apf/db";
import { createAccount, findUserByEmail, insertAgent, insertApiKey } from "@apf/db/queries";

export const DEMO_EMAIL = "demo@apf.local";

/** The print files the simulated printers loop through; each is a demo SKU's print file. */
export const DEMO_PRINT_FILES = ["benchy.gcode", "phone_stand.gcode", "cable_clip.gcode"];

const DEMO_PRINTER_MODELS = [
  {
    model: "MK4",
    manufacturer: "Prusa",
    location: "Rack A",
    nozzleSize: 0.4,
    currentFilamentType: "PLA",
    currentColor: "Red",
    currentColorHex: "#D32F2F",
  },
  {
    model: "MK4",
    manufacturer: "Prusa",
    location: "Rack A",
    nozzleSize: 0.4,
    currentFilamentType: "PETG",
    currentColor: "Black",
    currentColorHex: "#212121",
  },
  {
    model: "Ender-3 V3",
    manufacturer: "Creality",
    location: "Rack B",
    nozzleSize: 0.6,
    currentFilamentType: "PLA",
    currentColor: "White",
    currentColorHex: "#FAFAFA",
  },
];

/**
 * What the demo needs to show itself: kept in the data directory (mode 0600) so every start can
 * print it again. Only the embedded demo writes this file; a real deployment never does.
 */
export interface DemoSecrets {
  email: string;
  password: string;
  api_key: string;
  agent_token: string;
  octoprint_api_key: string;
}

function secretsFile(dataDir: string) {
  return join(dataDir, "demo-credentials.json");
}

function readSecrets(dataDir: string): DemoSecrets | null {
  const file = secretsFile(dataDir);
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<DemoSecrets>;
  return parsed.email &&
    parsed.password &&
    parsed.api_key &&
    parsed.agent_token &&
    parsed.octoprint_api_key
    ? (parsed as DemoSecrets)
    : null;
}

/**
 * The demo key's scopes: read everything, and control the simulated printers (pause, resume,
 * stop through the agent), so the demo shows both. The banner prints this list.
 */
export const DEMO_KEY_SCOPES: readonly Scope[] = [...ALL_READ_SCOPES, "printers:control"];

/**
 * Seeds the demo organization on first start: owner, an API key with every read scope and
 * `printers:control` (DEMO_KEY_SCOPES), an agent,
 * SKUs for the simulated print files and a few filament spools. Later starts reuse it.
 */
export async function seedDemo(db: Database, dataDir: string): Promise<DemoSecrets> {
  const existing = await findUserByEmail(db, DEMO_EMAIL);
  const saved = readSecrets(dataDir);
  if (existing && saved) return saved;
  if (existing) {
    throw new Error(
      `the demo organization exists but ${secretsFile(dataDir)} is missing; remove ${dataDir} to start the demo afresh`,
    );
  }

  const password = randomBytes(12).toString("base64url");
  const apiKey = mintToken("live");
  const agentToken = mintToken("agent");
  const { user, organization } = await createAccount(db, {
    email: DEMO_EMAIL,
    passwordHash: await hashPassword(password),
    name: "Demo Owner",
    organizationName: "Demo Print Farm",
  });
  await db.transaction(async (tx) => {
    await insertApiKey(tx, {
      organizationId: organization.id,
      name: "demo key",
      keyHash: apiKey.hash,
      preview: apiKey.preview,
      scopes: [...DEMO_KEY_SCOPES],
      createdBy: user.id,
    });
    const agent = await insertAgent(tx, {
      organizationId: organization.id,
      name: "demo agent",
      tokenHash: agentToken.hash,
      preview: agentToken.preview,
      createdBy: user.id,
    });
    // The agent creates printers on first sight; the demo gives them what only an owner knows.
    await tx.insert(printers).values(
      DEMO_PRINTER_MODELS.map((p, i) => ({
        organizationId: organization.id,
        agentId: agent.id,
        machineId: `demo-printer-${i + 1}`,
        name: `demo-printer-${i + 1}`,
        ...p,
      })),
    );
    await tx.insert(skus).values([
      {
        organizationId: organization.id,
        sku: "BENCHY-RED",
        productName: "3DBenchy",
        color: "Red",
        material: "PLA",
        printFileName: DEMO_PRINT_FILES[0],
        unitsPerPrint: 1,
        lowStockThreshold: 5,
      },
      {
        organizationId: organization.id,
        sku: "STAND-BLK",
        productName: "Phone stand",
        color: "Black",
        material: "PETG",
        printFileName: DEMO_PRINT_FILES[1],
        unitsPerPrint: 2,
        lowStockThreshold: 4,
      },
      {
        organizationId: organization.id,
        sku: "CLIP-WHT",
        productName: "Cable clip",
        color: "White",
        material: "PLA",
        printFileName: DEMO_PRINT_FILES[2],
        unitsPerPrint: 12,
        readyStock: 40,
      },
    ]);
    await tx.insert(filamentSpools).values([
      {
        organizationId: organization.id,
        type: "PLA",
        color: "Red",
        hexCode: "#D32F2F",
        brand: "Prusament",
        diameter: "1.75",
        remainingGrams: 640,
        spoolWeightGrams: 1000,
        lowThreshold: 150,
        status: "in_use",
        location: "Rack A",
      },
      {
        organizationId: organization.id,
        type: "PETG",
        color: "Black",
        hexCode: "#212121",
        brand: "Polymaker",
        diameter: "1.75",
        remainingGrams: 120,
        spoolWeightGrams: 1000,
        lowThreshold: 150,
        status: "low",
        location: "Rack A",
      },
      {
        organizationId: organization.id,
        type: "PLA",
        color: "White",
        hexCode: "#FAFAFA",
        brand: "eSun",
        diameter: "1.75",
        remainingGrams: 1000,
        spoolWeightGrams: 1000,
        lowThreshold: 150,
        status: "available",
        location: "Shelf 2",
      },
    ]);
  });

  const secrets: DemoSecrets = {
    email: DEMO_EMAIL,
    password,
    api_key: apiKey.token,
    agent_token: agentToken.token,
    octoprint_api_key: randomBytes(16).toString("hex"),
  };
  writeFileSync(secretsFile(dataDir), `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}
