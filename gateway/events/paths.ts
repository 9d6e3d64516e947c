/**
 * URLs of the event service. It lives under `/redfish/v1`, where Redfish
 * clients look for it, and the `/MultiFish/v1` service root links to it.
 */
const seg = (id: string): string => encodeURIComponent(id);

export const REDFISH_ROOT = "/redfish/v1";
const SERVICE = `${REDFISH_ROOT}/EventService`;

export const eventPaths = {
  service: SERVICE,
  sse: `${SERVICE}/SSE`,
  submitTestEvent: `${SERVICE}/Actions/EventService.SubmitTestEvent`,
  subscriptions: `${SERVICE}/Subscriptions`,
  subscription: (id: string) => `${SERVICE}/Subscriptions/${seg(id)}`,
  resume: (id: string) => `${SERVICE}/Subscriptions/${seg(id)}/Actions/EventDestination.ResumeSubscription`,
  suspend: (id: string) => `${SERVICE}/Subscriptions/${seg(id)}/Actions/EventDestination.SuspendSubscription`,
} as const;
