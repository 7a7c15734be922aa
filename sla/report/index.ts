export { buildReport, type ReportInput, type SlaReport } from './build-report.js';
export { recomputeReport } from './recompute.js';
export { reportCsv } from './csv.js';
export { reportHtml } from './html.js';
export { reportPdf } from './pdf.js';
export { serviceMonthReport } from './service-report.js';
