// alerting: Alertmanager-compatible router with acknowledgement, escalation and durable delivery.
export { alertingSections, type AlertmanagerConfig } from './config.js';
export { alertmanagerConfigSchema, type RouteInput, type ReceiverConfig } from './am-schema.js';
export { loadAlertingFile, type LoadedAlertingFile } from './load-file.js';
export { validateAlertingConfig } from './validate.js';
export {
  parseMatcher,
  parseMatchers,
  newMatcher,
  matchesAll,
  formatMatcher,
  type Matcher,
  type MatchType,
} from './matchers.js';
export {
  buildRoute,
  matchRoutes,
  groupKeyOf,
  groupLabels,
  DEFAULT_ROUTE_OPTS,
  type Route,
  type RouteOpts,
} from './route.js';
export { routeTest, parseLabelArgs } from './route-test.js';
export { fingerprint, fromIncoming, isResolved, type RouterAlert } from './alert-model.js';
export { compileInhibitRules, isInhibited, type InhibitRule } from './inhibit.js';
export { Silences, silenceState, type Silence } from './silences.js';
export { compileIntervals, anyActive, type IntervalIndex } from './time-mute.js';
export {
  Dispatcher,
  needsUpdate,
  groupIdOf,
  type AggGroup,
  type NotifyIntent,
  type IntegrationRef,
  type NflogEntry,
} from './dispatcher.js';
export { AlertRouter, type RouterOptions, type ApiAlertStatus } from './router.js';
export { recordAck, resolveGroupId, ackRows } from './acks.js';
export { Delivery } from './delivery.js';
export { ackLinkUrl, signAckLink, checkAckLink, consumeAckLink, ackLinkParams } from './ack-links.js';
export { notificationLog, type NotificationLogEntry } from './notification-log.js';
export { alertingHttp, type AlertingHttpOptions } from './http.js';
export { alertmanagerStatusHttp, configYaml, type AlertmanagerStatusOptions } from './http-status.js';
export type { AlertingDb, AlertingTables } from './repo.js';
export * from './notify/index.js';
export { Templates, TemplateError, type TemplateData, type TemplateAlert } from './template/index.js';
