import { previewMessages } from "@/lib/api/v1/sms-send";
import { routeHandlers } from "@/lib/api/operation";

export const { GET, POST, PUT, PATCH, DELETE } = routeHandlers(previewMessages);
