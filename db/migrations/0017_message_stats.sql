CREATE TABLE "message_stats" (
	"workspace_id" integer NOT NULL,
	"mode" text NOT NULL,
	"source" text NOT NULL,
	"day" date NOT NULL,
	"country" text NOT NULL,
	"status" text NOT NULL,
	"messages" bigint NOT NULL,
	"segments" bigint NOT NULL,
	"cost" numeric(20, 5) NOT NULL,
	CONSTRAINT "message_stats_workspace_id_mode_day_source_country_status_pk" PRIMARY KEY("workspace_id","mode","day","source","country","status")
);
--> statement-breakpoint
CREATE TABLE "message_stats_deltas" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "message_stats_deltas_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"workspace_id" integer NOT NULL,
	"mode" text NOT NULL,
	"source" text NOT NULL,
	"day" date NOT NULL,
	"country" text NOT NULL,
	"status" text NOT NULL,
	"messages" bigint NOT NULL,
	"segments" bigint NOT NULL,
	"cost" numeric(20, 5) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "message_stats" ADD CONSTRAINT "message_stats_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_stats_deltas" ADD CONSTRAINT "message_stats_deltas_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_stats_deltas_by_workspace_day" ON "message_stats_deltas" USING btree ("workspace_id","mode","day");