import { orgParamsWith } from "../params.ts";

export const endpointParams = orgParamsWith("endpointId");

export const PATH = "/orgs/{orgId}/webhook-endpoints";
