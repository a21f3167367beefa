/** The shapes of the /api answers the pages read (see /api/openapi.json). */

import type {
  ControlAction,
  JobStatus,
  PrinterViewStatus,
  SpoolStatus,
  StockLevel,
} from "@apf/domain";

export type Role = "owner" | "admin" | "member";

import type { Me } from "./api/types.ts";

export type { Me, Membership } from "./api/types.ts";

type User = Me["user"];

export interface ApiKey {
  id: string;
  preview: string;
  name: string;
  scopes: string[];
  created_by: { id: string; email: string } | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  rate_limit_per_minute: number | null;
  revoked_reason?: string | null;
}

export interface MintedKey extends ApiKey {
  key: string;
}

export interface Agent {
  id: string;
  name: string;
  preview: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  printer_count: number;
}

export interface Temperature {
  actual: number | null;
  target: number | null;
}

export interface Printer {
  id: string;
  name: string;
  model: string | null;
  manufacturer: string | null;
  location: string | null;
  nozzle_size: number | null;
  current_color: string | null;
  current_color_hex: string | null;
  current_filament_type: string | null;
  current_build_plate: string | null;
  is_active: boolean;
  status: PrinterViewStatus;
  online: boolean;
  machine_id: string;
  last_error: string | null;
  progress_percentage: number | null;
  last_seen_at: string | null;
  temperatures?: Record<string, Temperature>;
  current_job_id?: string | null;
  /** The control actions the printer allows now: the only ones the pages offer. */
  available_actions: ControlAction[];
}

export interface Job {
  id: string;
  status: JobStatus;
  printer_id: string | null;
  product_name: string | null;
  file_name: string | null;
  number_of_units: number | null;
  progress_percentage: number | null;
  time_submitted: string | null;
  time_started: string | null;
  time_completed: string | null;
  failure_reason: string | null;
}

export interface Sku {
  id: string;
  sku: string;
  product_name: string;
  color: string | null;
  material: string | null;
  print_file_name: string | null;
  units_per_print: number;
  ready_stock: number;
  low_stock_threshold: number | null;
  status: StockLevel;
  is_active: boolean;
}

export interface Spool {
  id: string;
  type: string;
  color: string | null;
  hex_code: string | null;
  brand: string | null;
  diameter: string;
  remaining_grams: number;
  spool_weight_grams: number | null;
  low_threshold: number | null;
  status: SpoolStatus;
  location: string | null;
}

export interface Member {
  user: User;
  role: Role;
  created_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  created_at: string;
  expires_at?: string;
  accept_token?: string;
}

export interface Organization {
  id: string;
  name: string;
  allowed_origins: string[];
}

export interface AuditEvent {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string | null; id: string | null };
  ip: string | null;
  created_at: string;
  details: Record<string, unknown>;
}

export interface SessionInfo {
  id: string;
  created_at: string;
  last_used_at: string | null;
  ip: string | null;
  user_agent: string | null;
  current?: boolean;
}
