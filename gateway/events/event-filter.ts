/**
 * Which events a reader wants. Two ways to say it, one matcher each:
 * - a subscription's lists (RegistryPrefixes, MessageIds, OriginResources,
 *   ResourceTypes, SubordinateResources): an event passes every list given;
 * - the SSE stream's `$filter`, in the subset DSP0266 defines for it:
 *   `Property eq 'value'` (and `ne`) over EventType, MessageId,
 *   RegistryPrefix, ResourceType, OriginResource, EventFormatType and
 *   SubordinateResources, joined with `and`, `or`, `not` and parentheses.
 */
import { RedfishError } from "../redfish/errors.js";
import { messageIdMatches } from "./event-messages.js";
import type { ShoalEvent } from "./event-record.js";

export type EventPredicate = (event: ShoalEvent) => boolean;

export interface EventSelection {
  registryPrefixes?: readonly string[];
  messageIds?: readonly string[];
  originResources?: readonly string[];
  resourceTypes?: readonly string[];
  /** Whether an origin also matches the resources below it (a job's runs). */
  subordinateResources?: boolean;
}

function originMatches(wanted: string, origin: string, subordinate: boolean): boolean {
  const w = wanted.replace(/\/+$/, "");
  return origin === w || (subordinate && origin.startsWith(`${w}/`));
}

export function selectionMatcher(s: EventSelection): EventPredicate {
  const sub = s.subordinateResources ?? true;
  return (event) =>
    (!s.registryPrefixes?.length || s.registryPrefixes.includes(event.registryPrefix)) &&
    (!s.messageIds?.length || s.messageIds.some((id) => messageIdMatches(id, event.messageId))) &&
    (!s.originResources?.length || s.originResources.some((o) => originMatches(o, event.origin, sub))) &&
    (!s.resourceTypes?.length || s.resourceTypes.includes(event.resourceType));
}

// ------------------------------------------------------------------ $filter

const PROPERTIES = ["EventType", "MessageId", "RegistryPrefix", "ResourceType", "OriginResource", "EventFormatType", "SubordinateResources"] as const;
type Property = (typeof PROPERTIES)[number];

type Node =
  | { kind: "cmp"; property: Property; negate: boolean; value: string | boolean }
  | { kind: "and" | "or"; left: Node; right: Node }
  | { kind: "not"; inner: Node };

type Token = { t: "word"; v: string } | { t: "str"; v: string } | { t: "(" } | { t: ")" };

function tokenize(text: string, bad: (why: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === "(" || c === ")") {
      tokens.push({ t: c });
      i++;
    } else if (c === "'") {
      let value = "";
      i++;
      for (;;) {
        if (i >= text.length) bad("a quoted value is not closed");
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ t: "str", v: value });
    } else {
      const m = /^[A-Za-z0-9_.]+/.exec(text.slice(i));
      if (!m) bad(`unexpected '${c}'`);
      tokens.push({ t: "word", v: m[0] });
      i += m[0].length;
    }
  }
  return tokens;
}

function parse(text: string): Node {
  const bad = (why: string): never => {
    throw new RedfishError(400, [
      {
        key: "QueryParameterValueTypeError",
        args: [text.slice(0, 200), "$filter"],
        resolution: `Correct the $filter (${why}): it compares ${PROPERTIES.join(", ")} with eq or ne to a quoted value, joined with and, or, not and parentheses.`,
      },
    ]);
  };
  const tokens = tokenize(text, bad);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const tok = tokens[pos];
    return tok?.t === "word" ? tok.v : undefined;
  };
  const orExpr = (): Node => {
    let node = andExpr();
    while (peekWord() === "or") {
      pos++;
      node = { kind: "or", left: node, right: andExpr() };
    }
    return node;
  };
  const andExpr = (): Node => {
    let node = unary();
    while (peekWord() === "and") {
      pos++;
      node = { kind: "and", left: node, right: unary() };
    }
    return node;
  };
  const unary = (): Node => {
    const tok = tokens[pos];
    if (!tok) return bad("it ends too early");
    if (tok.t === "word" && tok.v === "not") {
      pos++;
      return { kind: "not", inner: unary() };
    }
    if (tok.t === "(") {
      pos++;
      const inner = orExpr();
      if (tokens[pos]?.t !== ")") bad("a parenthesis is not closed");
      pos++;
      return inner;
    }
    if (tok.t !== "word" || !(PROPERTIES as readonly string[]).includes(tok.v)) {
      return bad(`'${tok.t === "word" || tok.t === "str" ? tok.v : tok.t}' is not a property the stream filters on`);
    }
    const property = tok.v as Property;
    const op = tokens[pos + 1];
    if (op?.t !== "word" || (op.v !== "eq" && op.v !== "ne")) return bad(`${property} must be followed by eq or ne`);
    const value = tokens[pos + 2];
    pos += 3;
    if (property === "SubordinateResources") {
      if (value?.t !== "word" || (value.v !== "true" && value.v !== "false")) return bad("SubordinateResources is compared with true or false");
      return { kind: "cmp", property, negate: op.v === "ne", value: value.v === "true" };
    }
    if (value?.t !== "str") return bad(`${property} is compared with a quoted value`);
    return { kind: "cmp", property, negate: op.v === "ne", value: value.v };
  };
  const root = orExpr();
  if (pos < tokens.length) bad("there is text after the end of the expression");
  return root;
}

function hasSubordinate(node: Node): boolean {
  switch (node.kind) {
    case "cmp":
      return node.property === "SubordinateResources" && node.value === true && !node.negate;
    case "not":
      return false;
    default:
      return hasSubordinate(node.left) || hasSubordinate(node.right);
  }
}

function evaluate(node: Node, event: ShoalEvent, subordinate: boolean): boolean {
  switch (node.kind) {
    case "and":
      return evaluate(node.left, event, subordinate) && evaluate(node.right, event, subordinate);
    case "or":
      return evaluate(node.left, event, subordinate) || evaluate(node.right, event, subordinate);
    case "not":
      return !evaluate(node.inner, event, subordinate);
    case "cmp": {
      const v = node.value;
      let hit: boolean;
      switch (node.property) {
        case "SubordinateResources":
          // A modifier of OriginResource, not a test of the event.
          return true;
        case "EventType":
          hit = event.eventType === v;
          break;
        case "MessageId":
          hit = typeof v === "string" && messageIdMatches(v, event.messageId);
          break;
        case "RegistryPrefix":
          hit = event.registryPrefix === v;
          break;
        case "ResourceType":
          hit = event.resourceType === v;
          break;
        case "OriginResource":
          hit = typeof v === "string" && originMatches(v, event.origin, subordinate);
          break;
        case "EventFormatType":
          hit = v === "Event";
          break;
      }
      return node.negate ? !hit : hit;
    }
  }
}

/** The predicate a `$filter` stands for; everything passes when there is none. Throws a 400 naming what is wrong. */
export function parseSseFilter(text: string | undefined): EventPredicate {
  if (text === undefined || text.trim() === "") return () => true;
  const root = parse(text);
  const subordinate = hasSubordinate(root);
  return (event) => evaluate(root, event, subordinate);
}
