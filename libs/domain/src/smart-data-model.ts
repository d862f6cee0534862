import { DeviceKind } from './device-kind';
import { scaleDecimal } from './lorawan-mapping';

/** The part of a FIWARE Smart Data Model entity that comes from readings; the caller adds id, location, dates. */
export interface SmartDataModelEntity {
  readonly type: string;
  readonly attributes: Record<string, number | string>;
}

/**
 * Metric values as attributes of the kind's Smart Data Model entity (e.g. bin-sensor `fill_pct` 62 →
 * WasteContainer `fillingLevel` 0.62; light-controller `lamp_on` true → Streetlight `powerState` "on").
 * Metrics the model has no attribute for are left out. Undefined when the kind declares no model.
 */
export function toSmartDataModel(
  kind: DeviceKind,
  values: Readonly<Record<string, number | boolean>>,
): SmartDataModelEntity | undefined {
  const model = kind.smartDataModel;
  if (!model) return undefined;
  const attributes: Record<string, number | string> = {};
  for (const [metric, value] of Object.entries(values)) {
    if (!Object.prototype.hasOwnProperty.call(model.attributes, metric)) continue;
    const mapping = model.attributes[metric];
    if ('whenTrue' in mapping) {
      if (typeof value === 'boolean')
        attributes[mapping.attribute] = value ? mapping.whenTrue : mapping.whenFalse;
    } else if (typeof value === 'number') {
      attributes[mapping.attribute] = scaleDecimal(value, mapping.scale);
    }
  }
  return { type: model.entityType, attributes };
}
