/** Where events go. The serial link prints them; the MQTT link publishes them. */
export interface Link {
  publish(topic: string, payload: string): void;
}
