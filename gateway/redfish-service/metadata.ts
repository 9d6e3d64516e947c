/**
 * `/redfish/v1/$metadata`: the OData CSDL document. It references DMTF's
 * published schema of every type the service sends, and declares the
 * project's own OEM namespace (`Shoal`) for what DMTF has no word for.
 */
import type { GatewayRouter } from "../routes/router.js";
import { rfPaths } from "./paths.js";
import { ALSO_REFERENCED, csdlUri, SERVED } from "./types.js";
import { SHOAL_OEM_CSDL_PATH, SHOAL_OEM_NAMESPACE, SHOAL_OEM_VERSION } from "./oem-csdl.js";

function reference(namespace: string, versions: readonly string[], uri = csdlUri(namespace)): string {
  const includes = [namespace, ...versions].map((n) => `    <edmx:Include Namespace="${n}"/>`).join("\n");
  return `  <edmx:Reference Uri="${uri}">\n${includes}\n  </edmx:Reference>`;
}

/** Namespaces -> the versioned namespaces of them we send. */
function referencedNamespaces(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (namespace: string, version?: string): void => {
    const versions = out.get(namespace) ?? [];
    if (version !== undefined && !versions.includes(version)) versions.push(version);
    out.set(namespace, versions);
  };
  add("RedfishExtensions", "RedfishExtensions.v1_0_0");
  for (const type of Object.values(SERVED)) add(type.namespace, type.version);
  for (const namespace of ALSO_REFERENCED) add(namespace);
  return out;
}

export function metadataDocument(): string {
  const refs = [...referencedNamespaces()].map(([namespace, versions]) => reference(namespace, versions));
  refs.push(reference(SHOAL_OEM_NAMESPACE, [SHOAL_OEM_VERSION], SHOAL_OEM_CSDL_PATH));
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">`,
    ...refs,
    `  <edmx:DataServices>`,
    `    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Service">`,
    `      <EntityContainer Name="Service" Extends="${SERVED.serviceRoot.version}.ServiceContainer"/>`,
    `    </Schema>`,
    `  </edmx:DataServices>`,
    `</edmx:Edmx>`,
    "",
  ].join("\n");
}

export function mountMetadata(router: GatewayRouter): void {
  const document = metadataDocument();
  router.get(rfPaths.metadata, (ctx) => {
    ctx.type = "application/xml";
    ctx.body = document;
  });
}
