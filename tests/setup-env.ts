// Test processes get fixed, obviously-fake secrets so nothing depends on the developer's .data folder.
import { randomBytes } from "node:crypto";

process.env.KEY_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64");
