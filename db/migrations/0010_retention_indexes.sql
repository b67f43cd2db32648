CREATE INDEX "api_request_counts_by_hour" ON "api_request_counts" USING btree ("hour");--> statement-breakpoint
CREATE INDEX "api_requests_by_time" ON "api_requests" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "rate_limits_expiry" ON "rate_limits" USING btree ("expire");