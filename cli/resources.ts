/**
 * Paths of the routes docs/api.md lists, and safe reads of the untyped JSON the
 * gateway sends (a CLI must not crash on a field it did not expect).
 */
import { segment } from "./http.js";
import { isObject } from "../src/problems.js";

export const paths = {
  jobs: "/JobService/Jobs",
  job: (id: string) => `/JobService/Jobs/${segment(id)}`,
  triggerJob: (id: string) => `/JobService/Jobs/${segment(id)}/Actions/Trigger`,
  cancelJob: (id: string) => `/JobService/Jobs/${segment(id)}/Actions/Cancel`,
  executions: (jobId: string) => `/JobService/Jobs/${segment(jobId)}/Executions`,
  execution: (jobId: string, id: string) => `/JobService/Jobs/${segment(jobId)}/Executions/${segment(id)}`,
  cancelExecution: (jobId: string, id: string) =>
    `/JobService/Jobs/${segment(jobId)}/Executions/${segment(id)}/Actions/Cancel`,
  machines: "/Platform",
  machine: (id: string) => `/Platform/${segment(id)}`,
};

export type Resource = Record<string, unknown>;

export { isObject };

/** A string field, or null. */
export function str(resource: Resource, key: string): string | null {
  const value = resource[key];
  return typeof value === "string" ? value : null;
}

/** A number field, or null. */
export function num(resource: Resource, key: string): number | null {
  const value = resource[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function obj(resource: Resource, key: string): Resource | null {
  const value = resource[key];
  return isObject(value) ? value : null;
}

/** The objects in an array field ([] when absent). */
export function list(resource: Resource, key: string): Resource[] {
  const value = resource[key];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

export function strings(resource: Resource, key: string): string[] {
  const value = resource[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** `machines a,b , c` -> ["a", "b", "c"]. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}
