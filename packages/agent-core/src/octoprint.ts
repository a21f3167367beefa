// The agent's one door to the OctoPrint HTTP clients of @apf/printers.
export * from "@apf/printers/octoprint/appkeys-client";
export * from "@apf/printers/octoprint/client";
