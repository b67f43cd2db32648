import { listUnifiedMessages } from "@/lib/api/v1/sms";
import { routeHandlers } from "@/lib/api/operation";

export const { GET, POST, PUT, PATCH, DELETE } = routeHandlers(listUnifiedMessages);
