CREATE TABLE "api_request_counts" (
	"key_id" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"status" smallint NOT NULL,
	"error_code" text DEFAULT '' NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "api_request_counts_key_id_hour_status_error_code_pk" PRIMARY KEY("key_id","hour","status","error_code")
);
