import type { Answer } from "../../api/types.ts";
import { label } from "../../ui/format.ts";

export type Sku = Answer<"/orgs/{orgId}/skus">["data"][number];

export function StockBadge({ sku }: { sku: Sku }) {
  const tone = sku.status === "in_stock" ? "good" : sku.status === "low_stock" ? "warn" : "bad";
  return <span class={`badge ${tone}`}>{label(sku.status)}</span>;
}
