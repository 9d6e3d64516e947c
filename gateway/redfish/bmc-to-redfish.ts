/**
 * A failure to get what we wanted from a BMC (a BmcError) as the Redfish
 * error the operator who asked gets.
 */
import { isRecord, type BmcError } from "../bmc/errors.js";
import { RedfishError, type Problem, type RelayOptions } from "./errors.js";
import { sentence } from "./property-problem.js";

/** What each way of not reaching a BMC means for the operator, and what to do about it. */
const UNREACHABLE: Readonly<Partial<Record<BmcError["type"], { what: string; resolution: string }>>> = {
  ConnectionRefused: { what: "refused the connection", resolution: "Check that the BMC is powered and its Endpoint is right, then resubmit the request." },
  ConnectionReset: { what: "dropped the connection", resolution: "Resubmit the request; if it keeps failing, check the BMC." },
  Timeout: { what: "did not answer within its HTTPClientTimeout", resolution: "Check the BMC, or raise the machine's HTTPClientTimeout, then resubmit the request." },
  DnsError: { what: "has a host name that does not resolve", resolution: "Correct the machine's Endpoint, then resubmit the request." },
  NetworkUnreachable: { what: "is on a network the gateway cannot reach", resolution: "Check the route from the gateway to the BMC, then resubmit the request." },
  TlsError: { what: "failed the TLS handshake", resolution: "Give the BMC a certificate the gateway trusts, or set the machine's Insecure to true, then resubmit the request." },
  InvalidResponse: { what: "answered with something that is not Redfish JSON", resolution: "Check the BMC's firmware and Endpoint, then resubmit the request." },
  Cancelled: { what: "was not waited for: the request was cancelled", resolution: "Resubmit the request." },
};

function who(error: BmcError, capital = true): string {
  const text = error.machineId === undefined ? "the BMC" : `the BMC of machine '${error.machineId}'`;
  return capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * A failure to get what we wanted from a BMC, for the operator who asked:
 * - the BMC's own 4xx: the same status, its `@Message.ExtendedInfo` passed through
 *   (except 401/403: the BMC refusing the gateway's stored credentials is not the
 *   operator's credentials being wrong, so that is a 502 naming the machine);
 * - a BMC 5xx, or no usable answer at all (refused, reset, timeout...): 502 GeneralError naming the machine;
 * - a refusal of ours before anything was sent (ResourceNotFound, a value not allowed): 404 / 400;
 * - the client shut down with the gateway: 503.
 */
export function fromBmcError(error: BmcError): RedfishError {
  const relayed = (error.detail["@Message.ExtendedInfo"] ?? []).filter(isRecord);
  const status = error.status ?? 0;
  switch (error.type) {
    case "HttpError": {
      if (status >= 400 && status < 500 && status !== 401 && status !== 403) {
        const headers: Record<string, string> =
          status === 429 && error.retryAfterMs !== undefined ? { "Retry-After": String(Math.ceil(error.retryAfterMs / 1000)) } : {};
        const message = `From ${who(error, false)}: ${sentence(error.message)}`;
        const own: Problem[] = relayed.length > 0 ? [] : [{ key: "GeneralError", message, resolution: "Correct the request and resubmit it." }];
        const relay: RelayOptions = { relayed, message };
        if (error.detail.code !== undefined) relay.code = error.detail.code;
        return new RedfishError(status, own, headers, relay);
      }
      const credentials = status === 401 || status === 403;
      const message = credentials
        ? `${who(error)} refused the gateway's credentials: ${sentence(error.message)}`
        : `${who(error)} failed: ${sentence(error.message)}`;
      const resolution = credentials
        ? `Correct the machine's Username and Password (PATCH ${error.machineId === undefined ? "the machine" : `/MultiFish/v1/Platform/${error.machineId}`}), then resubmit the request.`
        : "Resubmit the request later; if the BMC keeps failing, check it.";
      return new RedfishError(502, [{ key: "GeneralError", message, resolution }], {}, { relayed, message });
    }
    case "ResourceNotFound":
      return new RedfishError(404, [{ key: "GeneralError", message: sentence(error.message), resolution: "Name an existing resource and resubmit the request." }]);
    case "PropertyValueNotInList":
    case "NotSupported":
      return new RedfishError(400, [{ key: "GeneralError", message: sentence(error.message), resolution: "Correct the request and resubmit it." }]);
    case "ClientClosed":
      return new RedfishError(503, [{ key: "ServiceShuttingDown" }]);
    default: {
      const known = UNREACHABLE[error.type];
      const message = `${who(error)} ${known?.what ?? "could not be reached"}: ${sentence(error.message)}`;
      return new RedfishError(502, [{ key: "GeneralError", message, resolution: known?.resolution ?? "Check the BMC, then resubmit the request." }]);
    }
  }
}
