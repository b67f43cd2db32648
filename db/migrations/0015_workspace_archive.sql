ALTER TABLE "workspaces" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "workspaces_name_per_org" ON "workspaces" USING btree ("organization_id",lower("name"));--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_main_not_archived" CHECK (NOT ("workspaces"."is_main" AND "workspaces"."archived_at" IS NOT NULL));