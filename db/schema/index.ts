export * from "./accounts";
export * from "./api-keys";
export * from "./api-requests";
export * from "./audit";
export * from "./billing";
export * from "./rate-limits";
export * from "./sms";
export * from "./webhooks";
