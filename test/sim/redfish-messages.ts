/**
 * Error bodies as OpenBMC's bmcweb sends them: `{ error: { code, message,
 * @Message.ExtendedInfo: [...] } }`, ids from its own Base registry version
 * (1.19.0), which is deliberately not the version the gateway speaks, so the
 * client's "match prefix + key, never the version" rule is exercised.
 */

export const SIM_BASE_REGISTRY = "Base.1.19.0";

export interface RedfishMessage {
  "@odata.type": string;
  MessageId: string;
  Message: string;
  MessageArgs: string[];
  MessageSeverity: "OK" | "Warning" | "Critical";
  Resolution: string;
  RelatedProperties?: string[];
}

export interface RedfishErrorBody {
  error: { code: string; message: string; "@Message.ExtendedInfo": RedfishMessage[] };
}

function message(key: string, text: string, args: string[], resolution: string, severity: RedfishMessage["MessageSeverity"] = "Warning", related?: string): RedfishMessage {
  const m: RedfishMessage = {
    "@odata.type": "#Message.v1_1_1.Message",
    MessageId: `${SIM_BASE_REGISTRY}.${key}`,
    Message: text,
    MessageArgs: args,
    MessageSeverity: severity,
    Resolution: resolution,
  };
  if (related !== undefined) m.RelatedProperties = [related];
  return m;
}

/** One error body for one or more problems; `code` is GeneralError when there are several, as bmcweb does. */
export function errorBody(messages: RedfishMessage[]): RedfishErrorBody {
  const first = messages[0];
  const code = messages.length === 1 && first ? first.MessageId : `${SIM_BASE_REGISTRY}.GeneralError`;
  const text =
    messages.length === 1 && first ? first.Message : "A general error has occurred. See ExtendedInfo for more information.";
  return { error: { code, message: text, "@Message.ExtendedInfo": messages } };
}

export const msg = {
  propertyUnknown: (prop: string) =>
    message("PropertyUnknown", `The property ${prop} is not in the list of valid properties for the resource.`, [prop], "Remove the unknown property from the request body and resubmit the request if the operation failed.", "Warning", `#/${prop}`),
  propertyNotWritable: (prop: string) =>
    message("PropertyNotWritable", `The property ${prop} is a read only property and cannot be assigned a value.`, [prop], "Remove the property from the request body and resubmit the request if the operation failed.", "Warning", `#/${prop}`),
  propertyValueTypeError: (value: string, prop: string) =>
    message("PropertyValueTypeError", `The value ${value} for the property ${prop} is not a type that the property can accept.`, [value, prop], "Correct the value for the property in the request body and resubmit the request if the operation failed.", "Warning", `#/${prop}`),
  propertyValueNotInList: (value: string, prop: string) =>
    message("PropertyValueNotInList", `The value ${value} for the property ${prop} is not in the list of acceptable values.`, [value, prop], "Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.", "Warning", `#/${prop}`),
  malformedJSON: () =>
    message("MalformedJSON", "The request body submitted was malformed JSON and could not be parsed by the receiving service.", [], "Ensure that the request body is valid JSON and resubmit the request.", "Critical"),
  resourceNotFound: (type: string, id: string) =>
    message("ResourceNotFound", `The requested resource of type ${type} named ${id} was not found.`, [type, id], "Provide a valid resource identifier and resubmit the request.", "Critical"),
  preconditionFailed: () =>
    message("PreconditionFailed", "The ETag supplied did not match the ETag required to change this resource.", [], "Try the operation again using the appropriate ETag.", "Critical"),
  operationNotAllowed: () =>
    message("OperationNotAllowed", "The HTTP method is not allowed on this resource.", [], "None.", "Critical"),
  internalError: () =>
    message("InternalError", "The request failed due to an internal service error.  The service is still operational.", [], "Resubmit the request.  If the problem persists, consider resetting the service.", "Critical"),
  serviceTemporarilyUnavailable: (seconds: string) =>
    message("ServiceTemporarilyUnavailable", `The service is temporarily unavailable.  Retry in ${seconds} seconds.`, [seconds], "Wait for the indicated retry duration and retry the operation.", "Critical"),
  generalError: (text = "A general error has occurred. See Resolution for information on how to resolve the error.") =>
    message("GeneralError", text, [], "None.", "Critical"),
  noValidSession: () =>
    message("NoValidSession", "There is no valid session established with the implementation.", [], "Establish a session before attempting any operations.", "Critical"),
  resourceAtUriUnauthorized: (uri: string) =>
    message("ResourceAtUriUnauthorized", `While accessing the resource at ${uri}, the service received an authorization error unauthorized.`, [uri, "unauthorized"], "Ensure that the appropriate access is provided for the service in order for it to access the URI.", "Critical"),
};
