CREATE TABLE "key_expiry_notices" (
	"key_id" text NOT NULL,
	"notice" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "key_expiry_notices_key_id_notice_expires_at_pk" PRIMARY KEY("key_id","notice","expires_at")
);
--> statement-breakpoint
ALTER TABLE "webhook_settings" ADD COLUMN "events" text[];--> statement-breakpoint
ALTER TABLE "key_expiry_notices" ADD CONSTRAINT "key_expiry_notices_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_by_expiry" ON "api_keys" USING btree ("expires_at") WHERE "api_keys"."expires_at" IS NOT NULL AND "api_keys"."revoked_at" IS NULL;--> statement-breakpoint
-- Keys that expired before these events existed are not announced now.
INSERT INTO "key_expiry_notices" ("key_id", "notice", "expires_at") SELECT "id", 'expired', "expires_at" FROM "api_keys" WHERE "expires_at" IS NOT NULL AND "expires_at" <= now();
