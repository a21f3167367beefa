#!/usr/bin/env node
// Runs the TypeScript sources directly: tsx is registered first, then the CLI is imported
// dynamically (a static import would be hoisted above register()).
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
