export { overviewPlugin, renderOverview } from './overview.js';
export {
  overviewData,
  type OverviewData,
  type OverviewOptions,
  type ServiceOverview,
} from './overview-data.js';
