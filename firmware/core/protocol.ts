/** The payload version every MQTT payload carries as `v` (docs/mqtt.md): a consumer refuses one it does not know. */
export const PROTOCOL_VERSION = 1;
