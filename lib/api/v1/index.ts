import type { Operation } from "../operation";
import { getBalance, getPayments, getPricing, postPricing } from "./account";
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, rollApiKey, updateApiKey } from "./keys";

/** Every operation of /api/v1, for the OpenAPI document (route files bind their own). */
export const OPERATIONS: Operation[] = [
  getBalance,
  getPricing,
  postPricing,
  getPayments,
  listApiKeys,
  createApiKey,
  getApiKey,
  updateApiKey,
  rollApiKey,
  revokeApiKey,
];
