import { createApiKey, listApiKeys } from "@/lib/api/v1/keys";
import { routeHandlers } from "@/lib/api/operation";

export const { GET, POST, PUT, PATCH, DELETE } = routeHandlers(listApiKeys, createApiKey);
