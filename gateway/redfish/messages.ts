/**
 * The subset of the DMTF Base message registry the gateway speaks, with texts
 * of our own. Each entry keeps the registry's meaning (which arguments, which
 * severity) so a Redfish client that switches on `MessageId` behaves as it
 * would against a BMC; the wording is ours.
 */

/** Registry prefix of every id we send: clients match on prefix and key, never on the version. */
export const BASE_REGISTRY = "Base.1.22";

export type MessageSeverity = "OK" | "Warning" | "Critical";

export type MessageKey =
  | "Success"
  | "GeneralError"
  | "InternalError"
  | "MalformedJSON"
  | "EmptyJSON"
  | "PropertyMissing"
  | "PropertyUnknown"
  | "PropertyNotWritable"
  | "PropertyValueTypeError"
  | "PropertyValueFormatError"
  | "PropertyValueNotInList"
  | "PropertyValueOutOfRange"
  | "PropertyValueError"
  | "PropertyValueConflict"
  | "ResourceNotFound"
  | "ResourceAlreadyExists"
  | "ResourceInUse"
  | "PreconditionFailed"
  | "OperationNotAllowed"
  | "ActionNotSupported"
  | "QueryParameterValueTypeError"
  | "QueryParameterOutOfRange"
  | "QueryParameterUnsupported"
  | "NoValidSession"
  | "InsufficientPrivilege"
  | "ServiceShuttingDown"
  | "InsufficientStorage"
  | "ServiceTemporarilyUnavailable";

export interface MessageDefinition {
  severity: MessageSeverity;
  /** How many MessageArgs the text expects, in order. */
  args: readonly string[];
  text: (args: readonly string[]) => string;
  resolution: string;
}

const FIX_BODY = "Correct the value for the property in the request body and resubmit the request if the operation failed.";

export const MESSAGES: Readonly<Record<MessageKey, MessageDefinition>> = {
  Success: {
    severity: "OK",
    args: [],
    text: () => "The request completed successfully.",
    resolution: "None.",
  },
  GeneralError: {
    severity: "Critical",
    args: [],
    text: () => "The request could not be completed; see Resolution for what to do about it.",
    resolution: "None.",
  },
  InternalError: {
    severity: "Critical",
    args: [],
    text: () => "The request failed because of an error inside the service. The service is still running.",
    resolution: "Resubmit the request. If the problem persists, report it with the time of the request.",
  },
  MalformedJSON: {
    severity: "Critical",
    args: [],
    text: () => "The request body is not a well-formed JSON object and could not be read.",
    resolution: "Send a request body that is one valid JSON object and resubmit the request.",
  },
  EmptyJSON: {
    severity: "Warning",
    args: [],
    text: () => "The request body is an empty JSON object: it names nothing to change.",
    resolution: "Add the properties to change to the request body and resubmit the request.",
  },
  PropertyMissing: {
    severity: "Warning",
    args: ["property"],
    text: ([p]) => `The property ${p} is required and is missing from the request.`,
    resolution: "Add the property with a valid value to the request body and resubmit the request.",
  },
  PropertyUnknown: {
    severity: "Warning",
    args: ["property"],
    text: ([p]) => `The property ${p} is not a property this resource knows.`,
    resolution: "Remove the property from the request body and resubmit the request if the operation failed.",
  },
  PropertyNotWritable: {
    severity: "Warning",
    args: ["property"],
    text: ([p]) => `The property ${p} is read-only and cannot be given a value.`,
    resolution: "Remove the property from the request body and resubmit the request if the operation failed.",
  },
  PropertyValueTypeError: {
    severity: "Warning",
    args: ["value", "property"],
    text: ([v, p]) => `The value '${v}' for the property ${p} is not of a type the property accepts.`,
    resolution: FIX_BODY,
  },
  PropertyValueFormatError: {
    severity: "Warning",
    args: ["value", "property"],
    text: ([v, p]) => `The value '${v}' for the property ${p} is not in a valid format.`,
    resolution: FIX_BODY,
  },
  PropertyValueNotInList: {
    severity: "Warning",
    args: ["value", "property"],
    text: ([v, p]) => `The value '${v}' for the property ${p} is not one of the values the property accepts.`,
    resolution: "Choose one of the accepted values for the property and resubmit the request if the operation failed.",
  },
  PropertyValueOutOfRange: {
    severity: "Warning",
    args: ["value", "property"],
    text: ([v, p]) => `The value '${v}' for the property ${p} is outside the range the property accepts.`,
    resolution: FIX_BODY,
  },
  PropertyValueError: {
    severity: "Warning",
    args: ["property"],
    text: ([p]) => `The value given for the property ${p} is not valid.`,
    resolution: FIX_BODY,
  },
  PropertyValueConflict: {
    severity: "Warning",
    args: ["property", "otherProperty"],
    text: ([p, o]) => `The property ${p} cannot be set because it conflicts with the property ${o}.`,
    resolution: "Remove one of the two properties, or make their values agree, and resubmit the request.",
  },
  ResourceNotFound: {
    severity: "Critical",
    args: ["resourceType", "id"],
    text: ([t, id]) => `No resource of type ${t} named '${id}' exists.`,
    resolution: "Provide the identifier of an existing resource and resubmit the request.",
  },
  ResourceAlreadyExists: {
    severity: "Critical",
    args: ["resourceType", "property", "value"],
    text: ([t, p, v]) => `A resource of type ${t} whose ${p} is '${v}' already exists.`,
    resolution: "Do not repeat the create request: the resource exists. Use another identifier to create a new one.",
  },
  ResourceInUse: {
    severity: "Warning",
    args: [],
    text: () => "The request was refused because the resource is in use or changing state.",
    resolution: "Wait until the resource is no longer in use, or remove what uses it, and resubmit the request.",
  },
  PreconditionFailed: {
    severity: "Critical",
    args: [],
    text: () => "The ETag given in If-Match does not match the current ETag of the resource.",
    resolution: "Read the resource again to get its current ETag and retry the operation with it.",
  },
  OperationNotAllowed: {
    severity: "Critical",
    args: [],
    text: () => "The HTTP method of the request is not allowed on this resource.",
    resolution: "Use one of the methods listed in the Allow header of the response.",
  },
  ActionNotSupported: {
    severity: "Critical",
    args: ["action"],
    text: ([a]) => `The action ${a} is not supported by this resource.`,
    resolution: "Check the Actions property of the resource for the actions it supports.",
  },
  QueryParameterValueTypeError: {
    severity: "Warning",
    args: ["value", "parameter"],
    text: ([v, p]) => `The value '${v}' for the query parameter ${p} is not of a type the parameter accepts.`,
    resolution: "Correct the value of the query parameter and resubmit the request.",
  },
  QueryParameterOutOfRange: {
    severity: "Warning",
    args: ["value", "parameter", "range"],
    text: ([v, p, r]) => `The value '${v}' for the query parameter ${p} is outside the accepted range ${r}.`,
    resolution: "Use a value within the accepted range for the query parameter and resubmit the request.",
  },
  QueryParameterUnsupported: {
    severity: "Warning",
    args: ["parameter"],
    text: ([p]) => `The query parameter ${p} is not one this service supports.`,
    resolution: "Remove the query parameter and resubmit the request.",
  },
  NoValidSession: {
    severity: "Critical",
    args: [],
    text: () => "The request carries no credentials, and this resource requires them.",
    resolution: "Resubmit the request with valid credentials in the Authorization header.",
  },
  InsufficientPrivilege: {
    severity: "Critical",
    args: [],
    text: () => "The credentials given with the request do not grant access to this operation.",
    resolution: "Resubmit the request with valid credentials in the Authorization header.",
  },
  ServiceShuttingDown: {
    severity: "Critical",
    args: [],
    text: () => "The service is shutting down and no longer accepts this request.",
    resolution: "Resubmit the request once the service is back.",
  },
  InsufficientStorage: {
    severity: "Critical",
    args: [],
    text: () => "There is not enough storage to complete the request: the change was not saved, and nothing of it was applied.",
    resolution: "Free space on the disk that holds the gateway's DATA_DIR, then resubmit the request.",
  },
  ServiceTemporarilyUnavailable: {
    severity: "Critical",
    args: ["retryAfterSeconds"],
    text: ([s]) => `The service cannot take the request right now. Retry in ${s} seconds.`,
    resolution: "Wait for the time given and resubmit the request.",
  },
};

export function messageId(key: MessageKey): string {
  return `${BASE_REGISTRY}.${key}`;
}

/** Renders a message's text, filling absent arguments with "" so a text never shows "undefined". */
export function messageText(key: MessageKey, args: readonly string[]): string {
  const def = MESSAGES[key];
  const filled = def.args.map((_, i) => args[i] ?? "");
  return def.text(filled);
}
