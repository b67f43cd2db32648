import { getWebhooks, updateWebhooks } from "@/lib/api/v1/webhooks";
import { routeHandlers } from "@/lib/api/operation";

export const { GET, POST, PUT, PATCH, DELETE } = routeHandlers(getWebhooks, updateWebhooks);
