import { getApiKey, revokeApiKey, updateApiKey } from "@/lib/api/v1/keys";
import { routeHandlers } from "@/lib/api/operation";

export const { GET, POST, PUT, PATCH, DELETE } = routeHandlers(getApiKey, updateApiKey, revokeApiKey);
