/**
 * The project's own OEM namespace, `Shoal`, as a CSDL document served at
 * /redfish/v1/Schemas/Shoal_v1.xml and referenced by $metadata: what a Shoal
 * job has that DMTF's Job has no word for (its machines, action, policy,
 * cron, time zone, executions, rollout) goes under `Oem.Shoal`.
 */
import type { GatewayRouter } from "../routes/router.js";
import { REDFISH_ROOT } from "./paths.js";

export const SHOAL_OEM_NAMESPACE = "Shoal";
export const SHOAL_OEM_VERSION = "Shoal.v1_0_0";
export const SHOAL_OEM_CSDL_PATH = `${REDFISH_ROOT}/Schemas/Shoal_v1.xml`;

const REFS = [
  ["http://docs.oasis-open.org/odata/odata/v4.0/errata03/csd01/complete/vocabularies/Org.OData.Core.V1.xml", "Org.OData.Core.V1", "OData"],
  ["http://redfish.dmtf.org/schemas/v1/RedfishExtensions_v1.xml", "RedfishExtensions.v1_0_0", "Redfish"],
  ["http://redfish.dmtf.org/schemas/v1/Resource_v1.xml", "Resource", undefined],
  ["http://redfish.dmtf.org/schemas/v1/Resource_v1.xml", "Resource.v1_0_0", undefined],
] as const;

function complexType(name: string, description: string, props: readonly string[]): string {
  return [
    `      <ComplexType Name="${name}">`,
    `        <Annotation Term="OData.AdditionalProperties" Bool="false"/>`,
    `        <Annotation Term="OData.Description" String="${description}"/>`,
    `        <Annotation Term="OData.LongDescription" String="${description}"/>`,
    ...props,
    `      </ComplexType>`,
  ].join("\n");
}

const V = SHOAL_OEM_VERSION;

function prop(name: string, type: string, description: string, nullable = true): string {
  return [
    `      <Property Name="${name}" Type="${type}"${nullable ? "" : ` Nullable="false"`}>`,
    `        <Annotation Term="OData.Permissions" EnumMember="OData.Permission/Read"/>`,
    `        <Annotation Term="OData.Description" String="${description}"/>`,
    `        <Annotation Term="OData.LongDescription" String="${description}"/>`,
    `      </Property>`,
  ].join("\n");
}

export const SHOAL_OEM_CSDL = [
  `<?xml version="1.0" encoding="UTF-8"?>`,
  `<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">`,
  ...REFS.map(
    ([uri, namespace, alias]) =>
      `  <edmx:Reference Uri="${uri}">\n    <edmx:Include Namespace="${namespace}"${alias ? ` Alias="${alias}"` : ""}/>\n  </edmx:Reference>`,
  ),
  `  <edmx:DataServices>`,
  `    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="${SHOAL_OEM_NAMESPACE}">`,
  `      <Annotation Term="Redfish.OwningEntity" String="Shoal"/>`,
  `    </Schema>`,
  `    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="${SHOAL_OEM_VERSION}">`,
  `      <Annotation Term="Redfish.OwningEntity" String="Shoal"/>`,
  `      <ComplexType Name="Job" BaseType="Resource.OemObject">`,
  `        <Annotation Term="OData.AdditionalProperties" Bool="true"/>`,
  `        <Annotation Term="OData.Description" String="What a Shoal job has that the DMTF Job schema has no property for."/>`,
  `        <Annotation Term="OData.LongDescription" String="This type shall contain the Shoal job's machines, action, payload, policy, schedule details, executions and rollout."/>`,
  prop("Action", "Edm.String", "The BMC action every step of the job performs, when the job has one action."),
  prop("Cron", "Edm.String", "The cron expression of a Cron schedule."),
  prop("TimeZone", "Edm.String", "The IANA time zone the schedule is read in."),
  prop("ScheduleType", "Edm.String", "The Shoal schedule type: Once, Continuous, Cron or Manual."),
  prop("Status", "Edm.String", "The Shoal status of the job."),
  prop("ExecutionCount", "Edm.Int64", "How many times the job ran."),
  prop("MultiFishJob", "Edm.String", "The URI of the same job in the MultiFish-compatible API."),
  prop("Enabled", "Edm.Boolean", "Whether the job's schedule is running."),
  prop("Executions", "Edm.String", "The URI of the job's execution history in the MultiFish-compatible API."),
  prop("Machines", "Collection(Edm.String)", "The machines the job or step acts on."),
  prop("Mode", "Edm.String", "Sequential, or ParallelWithPrevious: how the step runs after the one before it."),
  prop("ContinueOnFailure", "Edm.Boolean", "Whether the job goes on to the next step when this one fails."),
  prop("JsonPayload", "Edm.String", "The action's per-manager entries as JSON text, as the MultiFish-compatible API takes them (DMTF's Payload.JsonBody is JSON text too)."),
  prop("Policy", `${V}.Policy`, "Overlap, misfire, concurrency, timeouts and retry of the job's runs."),
  prop("Rollout", `${V}.Rollout`, "The canary and batches a run of the job goes through."),
  `      </ComplexType>`,
  complexType("Policy", "How the runs of a Shoal job behave.", [
    prop("Overlap", "Edm.String", "Skip, Queue or Allow: what a run due while another runs does."),
    prop("Misfire", "Edm.String", "RunOnce or Skip: what runs missed while the gateway was down do."),
    prop("MaxConcurrency", "Edm.Int64", "Machines acted on at once."),
    prop("TaskTimeoutSeconds", "Edm.Decimal", "Time one machine's action may take."),
    prop("ExecutionTimeoutSeconds", "Edm.Decimal", "Time a whole run may take."),
    prop("Retry", `${V}.Retry`, "How a failed action is tried again."),
  ]),
  complexType("Retry", "How a failed action of a Shoal job is tried again.", [
    prop("MaxAttempts", "Edm.Int64", "Attempts in all."),
    prop("InitialDelaySeconds", "Edm.Decimal", "Wait before the second attempt."),
    prop("Factor", "Edm.Decimal", "How much each wait grows."),
    prop("MaxDelaySeconds", "Edm.Decimal", "The longest wait."),
  ]),
  complexType("Rollout", "The canary and batches a run of a Shoal job goes through.", [
    prop("Canary", "Edm.Int64", "Machines in the first batch."),
    prop("BatchSize", "Edm.Int64", "Machines in each later batch."),
    prop("BatchPercent", "Edm.Decimal", "Each later batch as a share of the machines."),
    prop("MaxFailurePercent", "Edm.Decimal", "Failures that halt the rollout."),
    prop("PauseSeconds", "Edm.Decimal", "Wait between batches."),
    prop("OnHalt", "Edm.String", "Stop or Revert: what a halted rollout does."),
  ]),
  `      <ComplexType Name="AggregationSource" BaseType="Resource.OemObject">`,
  `        <Annotation Term="OData.AdditionalProperties" Bool="false"/>`,
  `        <Annotation Term="OData.Description" String="The Shoal machine an aggregation source is."/>`,
  `        <Annotation Term="OData.LongDescription" String="This type shall contain the Shoal machine type of the source and the URI of the same machine in the MultiFish-compatible API."/>`,
  prop("Type", "Edm.String", "Base for a standard Redfish BMC, Extend for an OpenBMC with the OEM fan resources."),
  prop("MultiFishMachine", "Edm.String", "The URI of the same machine in the MultiFish-compatible API."),
  `      </ComplexType>`,
  `    </Schema>`,
  `  </edmx:DataServices>`,
  `</edmx:Edmx>`,
  "",
].join("\n");

export function mountOemCsdl(router: GatewayRouter): void {
  router.get(SHOAL_OEM_CSDL_PATH, (ctx) => {
    ctx.type = "application/xml";
    ctx.body = SHOAL_OEM_CSDL;
  });
}
