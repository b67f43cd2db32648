import type { Operation } from "../operation";
import { getBalance, getPayments, getPricing, postPricing } from "./account";
import { previewMessages, sendMessages } from "./sms-send";
import {
  exportMessages,
  getDailySmsStats,
  getMessageStatus,
  getSmsStats,
  getSmsStatsByCountry,
  listSmsMessages,
  listUnifiedMessages,
} from "./sms";
import { createApiKey, getApiKey, listApiKeys, revokeApiKey, rollApiKey, updateApiKey } from "./keys";
import { getWebhooks, listWebhookLogs, testWebhook, updateWebhooks } from "./webhooks";

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
  getWebhooks,
  updateWebhooks,
  testWebhook,
  listWebhookLogs,
  getMessageStatus,
  listSmsMessages,
  listUnifiedMessages,
  exportMessages,
  getSmsStats,
  getDailySmsStats,
  getSmsStatsByCountry,
  sendMessages,
  previewMessages,
];
