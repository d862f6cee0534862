/** Why a payload, or one reading in it, was refused. Values are stable: they label metrics and dead letters. */
export enum RejectReason {
  InvalidUtf8 = 'invalid_utf8',
  InvalidJson = 'invalid_json',
  TooDeep = 'too_deep',
  EmptyPayload = 'empty_payload',
  UnknownFormat = 'unknown_format',
  InvalidShape = 'invalid_shape',
  TooManyReadings = 'too_many_readings',
  SenmlInvalid = 'senml_invalid',
  SenmlUnsupportedVersion = 'senml_unsupported_version',
  UnknownMetric = 'unknown_metric',
  WrongType = 'wrong_type',
  NonFinite = 'non_finite',
  OutOfRange = 'out_of_range',
  BadTimestamp = 'bad_timestamp',
  TimestampOutOfWindow = 'timestamp_out_of_window',
  BadUnit = 'bad_unit',
  UnknownDevice = 'unknown_device',
  UnknownDevEui = 'unknown_dev_eui',
  LorawanInvalid = 'lorawan_invalid',
  NoDecodedPayload = 'no_decoded_payload',
  UnsupportedLorawanVersion = 'unsupported_lorawan_version',
  WriteRejected = 'write_rejected',
}

export const ALL_REJECT_REASONS: readonly RejectReason[] = Object.values(RejectReason);

/** One sentence per reason, for operators reading dead letters and metrics. */
export function describeRejectReason(reason: RejectReason): string {
  switch (reason) {
    case RejectReason.InvalidUtf8:
      return 'the payload is not valid UTF-8';
    case RejectReason.InvalidJson:
      return 'the payload is not valid JSON';
    case RejectReason.TooDeep:
      return 'the payload nests arrays or objects deeper than allowed';
    case RejectReason.EmptyPayload:
      return 'the payload is empty';
    case RejectReason.UnknownFormat:
      return 'the payload is neither Vigie JSON nor a SenML pack';
    case RejectReason.InvalidShape:
      return 'the Vigie JSON object does not have the shape {"ts"?, "values": {...}}';
    case RejectReason.TooManyReadings:
      return 'the payload carries more readings than allowed in one message';
    case RejectReason.SenmlInvalid:
      return 'a SenML record breaks RFC 8428';
    case RejectReason.SenmlUnsupportedVersion:
      return 'the SenML pack uses a version (bver) newer than 10';
    case RejectReason.UnknownMetric:
      return "the metric is not one of the device kind's metrics";
    case RejectReason.WrongType:
      return "the value's type is not the metric's type";
    case RejectReason.NonFinite:
      return 'the value is NaN or infinite';
    case RejectReason.OutOfRange:
      return "the value is outside the metric's valid range";
    case RejectReason.BadTimestamp:
      return 'the timestamp is neither epoch milliseconds nor an ISO 8601 date-time with a time zone';
    case RejectReason.TimestampOutOfWindow:
      return 'the timestamp is too far in the past or the future';
    case RejectReason.BadUnit:
      return 'the unit is not one the metric accepts';
    case RejectReason.UnknownDevice:
      return 'the topic names a device that is not registered';
    case RejectReason.UnknownDevEui:
      return "the uplink's DevEUI is not registered for any device of the account's tenant";
    case RejectReason.LorawanInvalid:
      return 'the LoRaWAN uplink does not have the shape its network server publishes';
    case RejectReason.NoDecodedPayload:
      return 'the uplink has no decoded object: configure a payload codec for the device on the network server';
    case RejectReason.UnsupportedLorawanVersion:
      return 'the uplink is in an old network-server format (ChirpStack v3); ChirpStack v4 or TTS v3 is needed';
    case RejectReason.WriteRejected:
      return 'InfluxDB refused the point';
  }
}

/** A refusal of a whole payload or of one reading in it. */
export interface Rejection {
  readonly reason: RejectReason;
  readonly detail: string;
  /** Position of the reading (array element or SenML record) when the refusal is about one reading. */
  readonly index?: number;
  readonly metric?: string;
}
