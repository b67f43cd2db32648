DROP INDEX "api_keys_by_workspace_name";--> statement-breakpoint
CREATE INDEX "api_keys_name_trgm" ON "api_keys" USING gin ("name" gin_trgm_ops);