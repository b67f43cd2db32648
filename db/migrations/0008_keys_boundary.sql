DROP INDEX "webhook_deliveries_by_workspace";--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "parent_key_id" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "mode" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_settings" ADD COLUMN "mode" text DEFAULT 'live' NOT NULL;--> statement-breakpoint
-- Hand-edited: drizzle-kit cannot name the old primary key (Postgres called it webhook_settings_pkey), and the new key needs the mode column first.
ALTER TABLE "webhook_settings" DROP CONSTRAINT "webhook_settings_pkey";--> statement-breakpoint
ALTER TABLE "webhook_settings" ADD CONSTRAINT "webhook_settings_workspace_id_mode_pk" PRIMARY KEY("workspace_id","mode");--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_parent_key_id_api_keys_id_fk" FOREIGN KEY ("parent_key_id") REFERENCES "public"."api_keys"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_by_parent" ON "api_keys" USING btree ("parent_key_id") WHERE "api_keys"."parent_key_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "webhook_deliveries_by_workspace" ON "webhook_deliveries" USING btree ("workspace_id","mode","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);
