// The incidents domain (issue 12, S9/S11): lifecycle, opening rules, update cadence, and what
// the customer is told. It imports only core; app/ wires its sinks and messages.
export { incidentsSchema, incidentsSections, type IncidentsConfig } from './config.js';
export { advance, reopen, addEntry, measuresOf, type TimelineKind } from './lifecycle.js';
export { IncidentService, newIncidentId, type OpenIncident, type CustomerFilter } from './service.js';
export { incidentOpener, isSecurityFinding, findingLine, type IncidentOpener } from './opener.js';
export { UpdateCadence, nextUpdateDue, UPDATE_DUE_ALERT, UPDATE_OVERDUE_ALERT } from './cadence.js';
export {
  reportJson,
  reportHtml,
  reportText,
  reportSections,
  type ReportJson,
  type ReportCustomer,
  type ReportKind,
  type ReportLanguage,
} from './report.js';
export { reportPdf } from './report-pdf.js';
export {
  CustomerOutbox,
  enqueueCustomerMail,
  type MailMeta,
  mailHash,
  type CustomerMail,
  type MailTransport,
  type SendResult,
} from './outbox.js';
export { smtpTransport, type SmtpSettings } from './smtp.js';
export { CustomerReporter, type CustomerContacts } from './reporter.js';
export { incidentsHttp } from './http.js';
export {
  PLANNED_NOTICE_MS,
  plannedNoticeLate,
  oneMonthAfter,
  checkChangeNotice,
  changeNoticeMail,
} from './notices.js';
