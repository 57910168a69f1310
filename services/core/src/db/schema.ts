import type { ColumnType, Generated, JSONColumnType } from 'kysely';

// Kysely table types, mirroring migrations/. One interface per table.
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T extends object | null = object> = JSONColumnType<T, string, string>;
/** numeric columns come back from pg as strings. */
type Numeric = ColumnType<string, number | string, number | string>;

export type NodeState = 'registered' | 'probing' | 'active' | 'draining' | 'removed';

export interface NodesTable {
  id: Generated<number>;
  name: string;
  esl_host: string;
  esl_port: number;
  sip_uri: string;
  weight: Generated<number>;
  set_id: Generated<number>;
  state: ColumnType<NodeState, NodeState | undefined, NodeState>;
  drain_started_at: NullableTimestamp;
  drain_timeout_secs: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface KamailioVersionTable {
  id: Generated<number>;
  table_name: string;
  table_version: number;
}
export interface DispatcherTable {
  id: Generated<number>;
  setid: number;
  destination: string;
  flags: number;
  priority: number;
  attrs: string;
  description: string;
}
export interface AddressTable {
  id: Generated<number>;
  grp: number;
  ip_addr: string;
  mask: number;
  port: number;
  tag: string | null;
}

/** Per-set dispatcher algorithm (0 hash Call-ID, 4 round-robin, 11 weighted), read by Kamailio through a view. */
export interface DispatcherSetsTable {
  setid: number;
  algorithm: number;
  description: string;
}

export interface IvrFlowsTable {
  id: string;
  name: string;
  description: Generated<string>;
  source: ColumnType<'code' | 'data', 'code' | 'data' | undefined, 'code' | 'data'>;
  published_version: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface IvrFlowVersionsTable {
  flow_id: string;
  version: number;
  definition: Json;
  status: ColumnType<'draft' | 'published' | 'retired', 'draft' | 'published' | 'retired' | undefined>;
  created_by: string | null;
  created_at: Generated<Date>;
  published_at: NullableTimestamp;
}
export interface IvrMenusTable {
  flow_id: string;
  version: number;
  menu_id: string;
  prompt: string;
  invalid_prompt: string | null;
  min_digits: Generated<number>;
  max_digits: Generated<number>;
  terminator: string | null;
  inter_digit_timeout_ms: number | null;
  no_input_timeout_ms: number | null;
  max_retries: number | null;
  on_exhausted: Json | null;
  parent_menu_id: string | null;
}
export interface IvrMenuOptionsTable {
  flow_id: string;
  version: number;
  menu_id: string;
  digits: string;
  action: Json;
}
export interface IvrPromptsTable {
  id: string;
  file_path: string;
  duration_ms: number | null;
  description: Generated<string>;
  created_at: Generated<Date>;
}
export interface DidRoutesTable {
  did: string;
  flow_id: string;
  flavour: ColumnType<'inbound' | 'outbound', 'inbound' | 'outbound' | undefined>;
  enabled: Generated<boolean>;
  updated_at: Generated<Date>;
}

export type CampaignState = 'draft' | 'running' | 'paused' | 'completed' | 'stopped';
export interface CampaignsTable {
  id: Generated<string>;
  name: string;
  flow_id: string;
  caller_id: string;
  gateway: string;
  allowed_prefixes: ColumnType<string[], string[] | undefined>;
  windows: Json;
  holidays: ColumnType<Date[], string[] | undefined>;
  default_timezone: Generated<string>;
  max_cps: Numeric;
  max_concurrent: Generated<number>;
  retry_policy: Json;
  max_attempts: Generated<number>;
  priority: Generated<number>;
  abandon_budget_pct: Numeric;
  state: ColumnType<CampaignState, CampaignState | undefined>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ContactState = 'pending' | 'dialling' | 'answered' | 'retry' | 'exhausted' | 'dnc' | 'done' | 'refused';
export interface ContactsTable {
  id: Generated<string>;
  campaign_id: string;
  phone_e164: string;
  name: string | null;
  timezone: string | null;
  data: Json;
  state: ColumnType<ContactState, ContactState | undefined>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_outcome: string | null;
  priority: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface AttemptsTable {
  id: Generated<string>;
  campaign_id: string;
  contact_id: string;
  attempt_no: number;
  phone_e164: string;
  node: string | null;
  job_uuid: string | null;
  call_uuid: string | null;
  fencing_token: string | null;
  dialler_id: string | null;
  started_at: Timestamp;
  ended_at: NullableTimestamp;
  outcome: string | null;
  hangup_cause: string | null;
}
export interface DncTable {
  id: Generated<string>;
  phone_e164: string;
  campaign_id: string | null;
  reason: Generated<string>;
  source: Generated<string>;
  created_at: Generated<Date>;
}

export interface CallLegsTable {
  leg_id: string;
  started_at: Timestamp;
  direction: 'inbound' | 'outbound' | 'transfer';
  caller: string | null;
  callee: string | null;
  did: string | null;
  campaign_id: string | null;
  contact_id: string | null;
  attempt_id: string | null;
  node: string | null;
  engine_id: string | null;
  flow_id: string | null;
  flow_version: number | null;
  parent_leg_id: string | null;
  trunk: string | null;
  answered_at: NullableTimestamp;
  bridged_at: NullableTimestamp;
  bridged_to: string | null;
  transferred_to: string | null;
  ended_at: NullableTimestamp;
  hangup_cause: string | null;
  sip_code: number | null;
  disposition: string | null;
  ring_ms: number | null;
  talk_ms: number | null;
  total_ms: number | null;
  pdd_ms: number | null;
  mos: Numeric | null;
  jitter_ms: Numeric | null;
  packet_loss_pct: Numeric | null;
  ivr_last_state: string | null;
  lost_reason: string | null;
  /** Step number behind ivr_last_state (migration 202611242310_calllog_views). */
  ivr_last_step: number | null;
  updated_at: Generated<Date>;
}
/** KPI sums per 5-minute bucket, node and trunk (migration 202611242340_calllog_kpi_rollup). */
export interface CallKpi5minTable {
  bucket: Timestamp;
  node: string;
  trunk: string;
  calls: number;
  ended: number;
  answered: number;
  ner_ok: number;
  abandoned: number;
  talk_sum: string;
  talk_n: number;
  total_sum: string;
  total_n: number;
  pdd_sum: string;
  pdd_n: number;
  mos_sum: number;
  mos_n: number;
  loss_sum: number;
  loss_n: number;
  refreshed_at: Generated<Date>;
}
export interface IvrStepsTable {
  leg_id: string;
  seq: number;
  at: Timestamp;
  flow_id: string | null;
  flow_version: number | null;
  state: string;
  kind: string;
  detail: Json;
}

export type ApiRole = 'admin' | 'ops' | 'campaign' | 'analyst';
export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  role: ApiRole;
  token_hash: string;
  prefix: string;
  created_by: string | null;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}
export interface AuditLogTable {
  id: Generated<string>;
  at: Generated<Date>;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
}
/** Accounts the engine's `account.balance` IVR lookup reads (migration 202611250110). */
export interface EngineAccountsTable {
  account: string;
  balance: Numeric;
  currency: Generated<string>;
  updated_at: Generated<Date>;
}

export interface Database {
  nodes: NodesTable;
  version: KamailioVersionTable;
  dispatcher: DispatcherTable;
  address: AddressTable;
  dispatcher_sets: DispatcherSetsTable;
  ivr_flows: IvrFlowsTable;
  ivr_flow_versions: IvrFlowVersionsTable;
  ivr_menus: IvrMenusTable;
  ivr_menu_options: IvrMenuOptionsTable;
  ivr_prompts: IvrPromptsTable;
  did_routes: DidRoutesTable;
  campaigns: CampaignsTable;
  contacts: ContactsTable;
  attempts: AttemptsTable;
  dnc: DncTable;
  call_legs: CallLegsTable;
  ivr_steps: IvrStepsTable;
  call_kpi_5min: CallKpi5minTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  engine_accounts: EngineAccountsTable;
}
