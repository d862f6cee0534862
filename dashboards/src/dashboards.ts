import { ALERTS } from './alerts.dashboard';
import { BUILDINGS } from './buildings.dashboard';
import { dashboardModel, VigieDashboard } from './dashboard-kit';
import { DEVICE_HEALTH } from './device-health.dashboard';
import { LIGHTING } from './lighting.dashboard';
import { PUBLIC } from './public.dashboard';
import { TOWN_OVERVIEW } from './town-overview.dashboard';
import { WASTE } from './waste.dashboard';
import { WATER } from './water.dashboard';

/** Every dashboard, in the order of the technicians' folder. */
export const DASHBOARDS: readonly VigieDashboard[] = [
  TOWN_OVERVIEW,
  BUILDINGS,
  WATER,
  WASTE,
  LIGHTING,
  DEVICE_HEALTH,
  ALERTS,
  PUBLIC,
];

/** A dashboard's Grafana JSON model, and where it is committed (`json/<audience>/<uid>.json`). */
export function renderDashboard(d: VigieDashboard): { path: string; model: Record<string, unknown> } {
  const model = dashboardModel(d.build().build());
  if (model['uid'] !== d.uid)
    throw new Error(`dashboards: ${d.uid} builds a dashboard with uid ${String(model['uid'])}`);
  return { path: `json/${d.audience}/${d.uid}.json`, model };
}
