CREATE TABLE "api_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "api_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"key_id" text,
	"workspace_id" integer,
	"mode" text,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"error_code" text,
	"latency_ms" integer NOT NULL,
	"address" text,
	"request_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signature_replays" (
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "signature_replays_key_id_signature_pk" PRIMARY KEY("key_id","signature")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ledger_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer NOT NULL,
	"amount" numeric(14, 4) NOT NULL,
	"currency" text NOT NULL,
	"type" text NOT NULL,
	"description" text NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_entries_type_known" CHECK ("ledger_entries"."type" IN ('deposit', 'usage', 'adjustment'))
);
--> statement-breakpoint
CREATE TABLE "prices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "prices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"mcc" text NOT NULL,
	"mnc" text NOT NULL,
	"dialcode" text NOT NULL,
	"country" text NOT NULL,
	"country_name" text NOT NULL,
	"network" text NOT NULL,
	"rate" numeric(10, 5) NOT NULL,
	"prev_rate" numeric(10, 5) NOT NULL,
	"rate_start_date" timestamp with time zone NOT NULL,
	"rate_end_date" timestamp with time zone,
	"currency" text DEFAULT 'EUR' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "balance_updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "rate_limit_per_second" integer DEFAULT 1000 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_requests_by_key" ON "api_requests" USING btree ("key_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "api_requests_by_workspace" ON "api_requests" USING btree ("workspace_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "signature_replays_expiry" ON "signature_replays" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_by_workspace" ON "ledger_entries" USING btree ("workspace_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "prices_network" ON "prices" USING btree ("mcc","mnc");--> statement-breakpoint
CREATE INDEX "prices_by_country" ON "prices" USING btree ("country");