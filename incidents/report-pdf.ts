import PDFDocument from 'pdfkit';
import { reportSections, type ReportJson } from './report.js';

/**
 * The report as PDF, with its JSON embedded as an attachment (`report.json`). Byte-stable for the
 * same content: the creation date is the incident's detection time, not now, and pdfkit derives
 * the file ID from the document info, so nothing varies between two renderings.
 */
export async function reportPdf(r: ReportJson): Promise<Buffer> {
  const fixed = new Date(r.detectedAt);
  const { subject, sections } = reportSections(r);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: false,
    info: {
      Title: subject,
      Author: 'vigil',
      Producer: 'vigil',
      Creator: 'vigil',
      CreationDate: fixed,
      ModDate: fixed,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(subject);
  doc.font('Helvetica').fontSize(10).text(r.customer).moveDown();
  for (const [h, lines] of sections) {
    doc.font('Helvetica-Bold').fontSize(12).text(h);
    doc.font('Helvetica').fontSize(10);
    for (const l of lines) doc.text(l);
    doc.moveDown(0.5);
  }
  doc.file(Buffer.from(JSON.stringify(r, null, 2)), {
    name: 'report.json',
    type: 'application/json',
    description: 'the report as data',
    creationDate: fixed,
    modifiedDate: fixed,
  });
  doc.end();
  return done;
}
