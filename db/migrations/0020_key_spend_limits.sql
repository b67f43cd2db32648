CREATE TABLE "api_key_daily_spend" (
	"key_id" text NOT NULL,
	"day" date NOT NULL,
	"spent" numeric(16, 5) DEFAULT '0' NOT NULL,
	CONSTRAINT "api_key_daily_spend_key_id_day_pk" PRIMARY KEY("key_id","day")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "daily_spend_cap" numeric(16, 5);--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "allowed_countries" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "api_key_daily_spend" ADD CONSTRAINT "api_key_daily_spend_key_id_api_keys_id_fk" FOREIGN KEY ("key_id") REFERENCES "public"."api_keys"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_daily_spend_cap_not_negative" CHECK ("api_keys"."daily_spend_cap" IS NULL OR "api_keys"."daily_spend_cap" >= 0);