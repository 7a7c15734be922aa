// alerting/template: Go text/template as Alertmanager 0.25 evaluates notification templates.
export { Templates } from './template.js';
export { TemplateError } from './lexer.js';
export { dataValue, type TemplateData, type TemplateAlert } from './data.js';
export { goGlob } from './glob.js';
