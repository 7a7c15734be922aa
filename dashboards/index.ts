export { overviewPlugin, renderOverview } from './overview.js';
export {
  overviewData,
  type OverviewData,
  type OverviewOptions,
  type ServiceOverview,
} from './overview-data.js';
export { uiPlugin } from './ui/plugin.js';
export type { UiOptions } from './ui/context.js';
export { html, raw, escapeHtml, Html } from './ui/html.js';
export { pickLang } from './ui/i18n.js';
