import { getPayments } from "@/lib/api/v1/account";
import { routeHandlers } from "@/lib/api/operation";

export const { GET, POST, PUT, PATCH, DELETE } = routeHandlers(getPayments);
