ALTER TABLE "workspaces" ADD COLUMN "low_balance_threshold" numeric(16, 5);--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "actor_user_id" integer;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_entries_idempotency" ON "ledger_entries" USING btree ("workspace_id","idempotency_key") WHERE "ledger_entries"."idempotency_key" IS NOT NULL;